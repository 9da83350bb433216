import type * as PlotlyModule from 'plotly.js-dist-min';
import PLOTLY_TEXT from 'plotly.js-dist-min/plotly.min.js?raw';

/**
 * plotly.js, held once as text: the exported report inlines this text, and the page runs the same text for its own
 * charts. Bundled into the page rather than fetched, so that the page works from `file://`, where a browser refuses
 * to load scripts and modules by URL.
 */
export { PLOTLY_TEXT };

type Plotly = (typeof PlotlyModule)['default'];

let plotly: Plotly | null = null;

/**
 * plotly.js, run from its text on the first chart (about 4.7 MB of script: the page opens at once). The bundle is
 * UMD: given a `module`, it sets `module.exports` rather than a global.
 */
export function loadPlotly(): Plotly {
  if (plotly === null) {
    const module = { exports: {} as Plotly };
    // The bundle's own code, from the page's own bundle: the page's CSP allows this (`unsafe-eval`, which
    // apache-arrow needs too) and nothing else.
    new Function('module', 'exports', PLOTLY_TEXT)(module, module.exports);
    plotly = module.exports;
  }
  return plotly;
}
