import { runBrowserView } from './browser-view-cli';
import { buildAll } from './build';

await buildAll();
await runBrowserView();
