/** The parts of plotly.js-dist-min (a UMD bundle without types) that the page calls. */
declare module 'plotly.js-dist-min' {
  interface PlotlyStatic {
    react(
      div: HTMLElement,
      data: readonly unknown[],
      layout: Record<string, unknown>,
      config: Record<string, unknown>,
    ): Promise<unknown>;
    purge(div: HTMLElement): void;
  }
  const Plotly: PlotlyStatic;
  export default Plotly;
}

/** The bundle's text, for the exported report (Vite's `?raw` import). */
declare module 'plotly.js-dist-min/plotly.min.js?raw' {
  const text: string;
  export default text;
}

/** A worker bundled inline into the page (Vite's `?worker&inline` import): its constructor starts one. */
declare module '*?worker&inline' {
  const WorkerConstructor: new () => Worker;
  export default WorkerConstructor;
}
