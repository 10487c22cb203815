import { runBrowserView } from './browser-view-cli';
import { buildAll } from './build';
import { startDevSandbox } from './dev-sandbox';
import { stopOnSignal } from './stop-on-signal';

await buildAll();
const sandbox = await startDevSandbox();
const view = await runBrowserView(sandbox.fhirBaseUrl);
stopOnSignal([view, sandbox]);
