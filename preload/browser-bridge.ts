import { createChartDeskApi } from '../common/api';
import { createBrowserTransport } from './browser-transport';

// The browser view's stand-in for the Electron preload: the same API, carried over HTTP to the
// bridge server on 127.0.0.1, which holds the session cookie minted for this run.
const transport = createBrowserTransport({
  EventSource: window.EventSource,
  fetch: window.fetch.bind(window),
  restart: () => window.location.reload(),
});

Object.defineProperty(window, 'chartdesk', { value: Object.freeze(createChartDeskApi(transport)), writable: false });
