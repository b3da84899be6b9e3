// run_command's Node runner with a real shell: exit codes, a bounded output tail, a hanging command
// killed with its whole process group at the time limit or on Stop, and no API key in its
// environment. (POSIX shells only: on Windows the suite says so and skips.)
import * as assert from 'node:assert/strict';
import { runShell } from '../../../../src/chat/agent/shell';
import { tempDir } from '../../../helpers/tmp';

const posix = process.platform !== 'win32';

/** Waits until `pid` is gone (polling the event, bounded); true when it is. */
async function gone(pid: number, withinMs = 10_000): Promise<boolean> {
  const until = Date.now() + withinMs;
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('run_command runner (shell.ts)', function () {
  before(function () {
    if (!posix) {
      console.log('    (skipped: these tests use a POSIX shell; Windows runs taskkill instead)');
      this.skip();
    }
  });
  const cwd = tempDir('dsr-shell-');
  const base = { cwd, timeoutMs: 60_000, maxOutputBytes: 10_000 };

  it('runs in the workspace root and gives exit code and output (stdout and stderr)', async () => {
    const r = await runShell('pwd; echo err >&2; exit 3', base);
    assert.equal(r.exitCode, 3);
    assert.equal(r.timedOut, false);
    assert.ok(r.output.includes(cwd) && r.output.includes('err'));
  });

  it('keeps only the tail of megabytes of output', async () => {
    const r = await runShell(
      'i=0; while [ $i -lt 20000 ]; do echo "line $i ' +
        '....................................................................."; i=$((i+1)); done',
      { ...base, maxOutputBytes: 1000 },
    );
    assert.equal(r.exitCode, 0);
    assert.ok(r.output.length <= 1000);
    assert.ok(
      r.output.trimEnd().endsWith('line 19999 .....................................................................'),
    );
    assert.ok(r.droppedBytes > 1_000_000);
  });

  it('kills a command that hangs at the time limit, with its process group', async () => {
    const r = await runShell('sleep 1000 & echo $!; wait', { ...base, timeoutMs: 300 });
    assert.equal(r.timedOut, true);
    const child = Number(r.output.trim().split('\n')[0]);
    assert.ok(child > 0, r.output);
    assert.ok(await gone(child), `the background sleep ${child} was killed too`);
  });

  it('a command waiting for input gets end-of-file instead of hanging', async () => {
    const r = await runShell('read x; echo "got [$x]"', base);
    assert.equal(r.exitCode, 0);
    assert.equal(r.output, 'got []\n');
  });

  it('Stop kills it', async () => {
    const stop = new AbortController();
    const p = runShell('echo started; sleep 1000', { ...base, signal: stop.signal });
    stop.abort();
    const r = await p;
    assert.equal(r.exitCode, null);
    assert.ok(r.signal);
  });

  it('does not pass the API key to the command', async () => {
    const r = await runShell('echo "key=[$DEEPSEEK_API_KEY] other=[$OTHER]"', {
      ...base,
      env: { ...process.env, DEEPSEEK_API_KEY: 'sk-should-not-see', OTHER: 'kept' },
    });
    assert.equal(r.output, 'key=[] other=[kept]\n');
  });
});
