// Runs a set of mocha suites programmatically and prints the closing `N passed, N failed` line (with
// `, N not run here` when a test said it cannot run on this machine) that test/e2e/run.sh sums over all
// suites. Used inside the extension host (the integration suites) and in Node (the UI suite), so both report
// the same way.
import Mocha from 'mocha';
import { NOT_RUN_HERE } from '../../helpers/notRunHere';

/** Registers the suites `load` requires (bdd globals), runs them; resolves when all passed. */
export function runMocha(load: () => void, options: { timeoutMs: number }): Promise<void> {
  // forbidOnly: a stray `.only` fails the run instead of quietly running one test.
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', timeout: options.timeoutMs, forbidOnly: true });
  mocha.options.color = false; // plain logs: the constructor drops `color: false`, and CI=true would turn colours on
  mocha.suite.emit('pre-require', globalThis, 'e2e', mocha);
  load();
  return new Promise((resolve, reject) => {
    let notRun = 0;
    const runner = mocha.run(() => {
      const { passes = 0, failures = 0, pending = 0 } = runner.stats ?? {};
      // A skipped test did not prove anything: it counts as a failure, unless it said why it cannot run here.
      const failed = failures + pending - notRun;
      console.log(`${passes} passed, ${failed} failed${notRun ? `, ${notRun} not run here` : ''}`);
      if (failed > 0) reject(new Error(`${failed} test(s) failed`));
      else resolve();
    });
    runner.on('pending', (test) => {
      if (NOT_RUN_HERE in test) notRun++;
    });
  });
}
