// Entry point of the UI suite (Node, run by run.sh with tsx): the story in story.test.ts, act mode, a base
// URL changed mid-session and a pasted image, with the same mocha runner and closing line as the in-host suites.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TEST_MS } from '../shared/patience';
import { runMocha } from '../shared/runMocha';
import { env } from '../driver/browser';

fs.mkdirSync(path.join(env('E2E_ARTIFACTS'), 'themes'), { recursive: true });
runMocha(
  () => {
    require('./story.test');
    require('./actMode.test');
    require('./baseUrl.test');
    require('./images.test');
  },
  { timeoutMs: TEST_MS },
).then(
  () => process.exit(0),
  () => process.exit(1),
);
