/**
 * jsdom does no layout: every element is 0×0, so a virtualized list would render no rows.
 * Give elements a viewport-sized client box for the duration of a test file.
 */
export function fakeLayout(height = 400, width = 800): () => void {
  const proto = HTMLElement.prototype;
  const saved = {
    height: Object.getOwnPropertyDescriptor(proto, 'clientHeight'),
    width: Object.getOwnPropertyDescriptor(proto, 'clientWidth'),
  };
  Object.defineProperty(proto, 'clientHeight', { configurable: true, get: () => height });
  Object.defineProperty(proto, 'clientWidth', { configurable: true, get: () => width });
  return () => {
    if (saved.height) Object.defineProperty(proto, 'clientHeight', saved.height);
    if (saved.width) Object.defineProperty(proto, 'clientWidth', saved.width);
  };
}
