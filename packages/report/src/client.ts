/**
 * The report's only script of its own, run in the page (it is inlined via `Function.prototype.toString`, so it may
 * use nothing from outside its body). It draws every chart from the JSON data block and marks the outcome on
 * `<body>` (`data-charts-drawn` = number drawn, or `data-charts-error`) so that a reader or a test can tell.
 */
export function drawCharts(): void {
  interface Chart {
    readonly id: string;
    readonly figure: { readonly data: unknown[]; readonly layout: Record<string, unknown> };
  }
  interface PlotlyGlobal {
    newPlot(
      div: HTMLElement,
      data: unknown[],
      layout: Record<string, unknown>,
      config: Record<string, unknown>,
    ): Promise<unknown>;
  }
  const body = document.body;
  const fail = (error: unknown) => {
    body.dataset.chartsError = String(error);
    console.error('report: could not draw the charts:', error);
  };
  try {
    const block = document.getElementById('report-data');
    const plotly = (window as unknown as { Plotly?: PlotlyGlobal }).Plotly;
    if (!block || !plotly) throw new Error('the data block or plotly.js is missing');
    const charts = (JSON.parse(block.textContent ?? '') as { charts: Chart[] }).charts;
    const config = { responsive: true, displaylogo: false };
    const drawn = charts.map((chart) => {
      const div = document.getElementById(chart.id);
      if (!div) throw new Error(`no element for chart ${chart.id}`);
      return plotly.newPlot(div, chart.figure.data, chart.figure.layout, config);
    });
    Promise.all(drawn).then(() => {
      body.dataset.chartsDrawn = String(charts.length);
    }, fail);
  } catch (error) {
    fail(error);
  }
}
