// Crash safety, for real: the CLI is killed with SIGKILL while an answer streams; after a "restart"
// the conversation file holds the question and the partial answer, marked interrupted, and
// `--continue` finishes the answer from there.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { turnsOf } from '../../../src/chat/conversation';
import { FileConversationLog, loadConversation } from '../../../src/chat/history';
import { CONTINUE_PROMPT } from '../../../src/chat/prompt';
import { defaultReply, startFakeDeepSeek } from '../../fake-server/server';
import { CLI, requireBuiltCli } from '../../helpers/paths';
import { until } from '../../helpers/until';

describe('history: crash while streaming', function () {
  it('finds the question and the partial answer after SIGKILL, and continues it', async () => {
    requireBuiltCli();
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dsr-crash-'));
    const repo = path.join(tmp, 'repo');
    fs.mkdirSync(repo);
    fs.writeFileSync(path.join(repo, 'main.ts'), 'export const answer = 42;\n');
    const conv = path.join(tmp, 'conversation.jsonl');
    let first = true;
    const server = await startFakeDeepSeek({
      scenario: (body) => {
        if (!first) return defaultReply(body);
        first = false;
        return {
          steps: [
            { kind: 'reasoning', text: 'Thinking hard. ' },
            { kind: 'content', text: 'Partial answer before the crash. ' },
            { kind: 'wait', ms: 60_000 },
            { kind: 'content', text: 'never sent' },
          ],
        };
      },
    });
    const env = {
      ...process.env,
      DEEPSEEK_API_KEY: 'sk-test-key-123',
      DEEPSEEK_BASE_URL: server.url,
      DEEPSEEK_REPO_CACHE_DIR: path.join(tmp, 'cache'),
    };
    try {
      const child = spawn(
        process.execPath,
        [CLI, 'ask', 'What is the answer?', '--dir', repo, '--conversation', conv, '--json'],
        { env, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      const exited = new Promise<NodeJS.Signals | null>((resolve) =>
        child.on('exit', (_code, signal) => resolve(signal)),
      );
      await until(
        'the partial answer on disk',
        () => fs.existsSync(conv) && fs.readFileSync(conv, 'utf8').includes('Partial answer before the crash.'),
      );
      child.kill('SIGKILL');
      assert.equal(await exited, 'SIGKILL');

      // "Restart": read what survived.
      const { state } = loadConversation(new FileConversationLog(conv));
      const [turn] = turnsOf(state);
      assert.equal(turn!.question, 'What is the answer?');
      assert.equal(turn!.answer, 'Partial answer before the crash. ');
      assert.equal(turn!.reasoning, 'Thinking hard. ');
      assert.equal(turn!.outcome, 'interrupted');
      assert.equal(turn!.streaming, true, 'cut while streaming, not ended');

      // Continue it in a new process.
      const again = spawn(
        process.execPath,
        [CLI, 'ask', '--continue', '--dir', repo, '--conversation', conv, '--json'],
        { env, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let out = '';
      again.stdout.on('data', (d) => (out += d));
      const code = await new Promise<number | null>((resolve) => again.on('close', resolve));
      assert.equal(code, 0, out);
      const sent = server.chatRequests().at(-1)!.body!.messages;
      assert.deepEqual(
        sent.slice(-3).map((m) => m.content),
        ['What is the answer?', 'Partial answer before the crash. ', CONTINUE_PROMPT],
      );
      const done = turnsOf(loadConversation(new FileConversationLog(conv)).state)[0]!;
      assert.equal(done.outcome, 'complete');
      assert.ok(done.answer.startsWith('Partial answer before the crash. Answer from the fake server.'), done.answer);
    } finally {
      await server.close();
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
