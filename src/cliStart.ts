// The `deepseek-repo` executable (bundled as dist/cli.js): turns on Node's on-disk compile cache, then loads and
// runs the CLI (src/cli.ts, bundled as dist/cli-main.js). Compiling the CLI bundle is a good part of a command's
// start-up; with the cache (Node 22.1 and later; elsewhere nothing changes) every run after the first reuses the
// compiled code from the cache Node keeps in the temporary directory (NODE_COMPILE_CACHE moves it,
// NODE_DISABLE_COMPILE_CACHE=1 turns it off). It must be a file of its own: a bundle cannot cache its own compilation.
import * as nodeModule from 'node:module';
import * as path from 'node:path';

(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();
// A path built at run time: the bundler leaves this load alone.
(nodeModule.createRequire(__filename)(path.join(__dirname, 'cli-main.js')) as typeof import('./cli')).runCli();
