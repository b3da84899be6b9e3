// The fake DeepSeek server as a standalone process (what end-to-end tests in a real VS Code start):
// it prints its URL, plays the scenario named by FAKE_DEEPSEEK_SCENARIO, and a request can pick
// another with [[scenario:NAME]] in its question.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { streamChat } from '../../../src/llm/client';
import { KEY, MESSAGES, PARAMS, instantClock, NO_DEADLINES } from './kit';
import { REPO } from '../../helpers/paths';

const MAIN = path.join(REPO, 'test/fake-server/main.ts');

describe('fake DeepSeek server, standalone', function () {
  it('prints its URL and plays the env scenario, or the one a question names', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, '--port', '0'], {
      env: { ...process.env, FAKE_DEEPSEEK_SCENARIO: '503' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d) => {
          out += d;
          if (out.includes('\n')) resolve(out.split('\n')[0]!);
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}`)));
      });
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
      const opts = { baseUrl: url, apiKey: KEY, clock: instantClock(), timeouts: NO_DEADLINES };
      const retries: number[] = [];
      const first = await streamChat(opts, MESSAGES, PARAMS, { onRetry: (r) => void retries.push(r.attempt) });
      assert.equal(first.outcome, 'complete');
      assert.deepEqual(retries, [1], 'env scenario 503: one failure, then the answer');
      const named = await streamChat(opts, [{ role: 'user', content: 'Explain [[scenario:402]]' }], PARAMS, {});
      assert.equal(named.error?.kind, 'balance');
      const repoAbove = await streamChat(
        opts,
        [
          {
            role: 'user',
            content: '<file path="main.ts">\n// [[scenario:NAME]] picks a scenario\n</file>\n\nWhat does main.ts do?',
          },
        ],
        PARAMS,
        {},
      );
      assert.equal(
        repoAbove.outcome,
        'complete',
        'a marker in the repository text above the question is not a scenario',
      );
      const unknown = await streamChat(opts, [{ role: 'user', content: '[[scenario:nope]]' }], PARAMS, {});
      assert.match(unknown.error?.message ?? '', /unknown fake scenario "nope"/);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
