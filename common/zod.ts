import { z } from 'zod';

// The renderer's CSP forbids eval. Unless jitless, zod compiles object parsers with `new Function`, and its probe for
// that is reported as a CSP violation even though zod catches the error. Every schema in common/ takes `z` from here,
// so the setting is in place before the first one is built; the payloads it checks are small.
z.config({ jitless: true });

export { z };
