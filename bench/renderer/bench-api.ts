/** What the bench page offers Playwright on window.chartBench. */
export interface FirstRender {
  /** From the delivery of the first page to just after the frame that shows them. */
  ms: number;
  rowsInDom: number;
  vitalCards: number;
  /** Vital rows held by the chart state. */
  rows: number;
}

export interface Frames {
  /** Intervals between consecutive animation frames. */
  frameMs: number[];
  scrolledPx: number;
}

export interface ChartBench {
  firstRender(): Promise<FirstRender>;
  frames(count: number, step: number): Promise<Frames>;
}

declare global {
  interface Window {
    chartBench: ChartBench;
  }
}
