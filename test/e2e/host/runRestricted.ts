// Test module the extension host loads (`extensionTestsPath`) in the untrusted (Restricted Mode) window;
// run.sh bundles it to out/e2e/runRestricted.js.
import { TEST_MS } from '../shared/patience';
import { runMocha } from '../shared/runMocha';

export function run(): Promise<void> {
  return runMocha(
    () => {
      require('./activation.test');
      require('./restricted.test');
    },
    { timeoutMs: TEST_MS },
  );
}
