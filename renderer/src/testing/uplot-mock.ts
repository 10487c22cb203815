import type uPlot from 'uplot';

/** Stands in for uPlot under jsdom (no canvas): records what each chart was asked to draw. */
export const charts: Array<{ options: uPlot.Options; data: uPlot.AlignedData; destroyed: boolean }> = [];

export default class FakeUPlot {
  readonly #record: (typeof charts)[number];
  constructor(options: uPlot.Options, data: uPlot.AlignedData) {
    this.#record = { options, data, destroyed: false };
    charts.push(this.#record);
  }
  setSize(): void {}
  destroy(): void {
    this.#record.destroyed = true;
  }
}
