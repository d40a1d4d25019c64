/**
 * `dist/server/server.js`: what editors start (`node …/server.js --stdio`, the VS Code client, the
 * `spcs-language-server` bin). It only loads the language server bundle, `core.js` (built from
 * `main.ts`), through the V8 code cache of `codeCache.ts`, and must stay tiny: everything it imports
 * is compiled on every start.
 */

import { join } from 'node:path';
import { startWithCodeCache } from './codeCache';

startWithCodeCache(join(__dirname, 'core.js'));
