// Test module the extension host loads (`extensionTestsPath`) in a trusted workspace; run.sh bundles it
// to out/e2e/runTrusted.js. The host calls run() and reports its outcome as the window's exit code.
import { TEST_MS } from '../shared/patience';
import { runMocha } from '../shared/runMocha';

export function run(): Promise<void> {
  return runMocha(
    () => {
      require('./activation.test');
      require('./ask.test');
      require('./sidebar.test');
      require('./images.test');
      require('./stop.test');
      require('./apiKey.test');
      require('./commands.test');
      require('./inspector.test');
      require('./window.test');
      require('./mcp.test');
      require('./agent.test');
      require('./mentions.test');
    },
    { timeoutMs: TEST_MS },
  );
}
