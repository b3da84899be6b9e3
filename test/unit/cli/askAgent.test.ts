// `deepseek-repo ask --agent` as a real process against the fake DeepSeek server playing a scripted
// agent task (read a file, edit two, run a command, check problems, answer): without flags nothing
// is written or run and the model is told so; --apply writes, --allow-run runs (any command, or only
// the prefixes given); --json prints tool_call and tool_result in order; --conversation keeps the
// steps and --continue resumes an interrupted turn at the step it stopped.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { agentScenario, agentStep, agentTask } from '../../fake-server/agentScenario';
import { CacheModel } from '../../fake-server/cacheModel';
import { answerReply } from '../../fake-server/scenarios';
import { startFakeDeepSeek, type ChatBody, type FakeServer, type Scenario } from '../../fake-server/server';
import type { CliEventLine } from '../../helpers/cliEvents';
import { notRunHere } from '../../helpers/notRunHere';
import { CLI, REPO, requireBuiltCli } from '../../helpers/paths';
import { runCli } from '../../helpers/runCli';
import { until } from '../../helpers/until';

const A = 'export const a = 1;\n';
const B = 'export const b = 2;\n';

describe('CLI ask --agent', function () {
  this.timeout(120_000); // CLI runs outrun 20 s on a loaded shared machine (as askCommand.test.ts)
  let tmp: string;
  let repo: string;
  let server: FakeServer;
  let scenario: Scenario;
  const run = (args: string[]) =>
    runCli(['ask', ...args], {
      env: {
        DEEPSEEK_API_KEY: 'sk-test-key-123',
        DEEPSEEK_BASE_URL: server.url,
        DEEPSEEK_REPO_CACHE_DIR: path.join(tmp, 'cache'),
      },
    });
  const tools = (events: CliEventLine[]) => events.filter((e) => e.type === 'tool_call' || e.type === 'tool_result');
  const lastToolMessages = () =>
    server
      .chatRequests()
      .at(-1)!
      .body!.messages.filter((m) => m.role === 'tool')
      .map((m) => m.content!);

  beforeEach(async () => {
    requireBuiltCli();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dsr-agentcli-'));
    repo = path.join(tmp, 'repo');
    fs.mkdirSync(path.join(repo, 'src'), { recursive: true });
    fs.writeFileSync(path.join(repo, 'src', 'a.ts'), A);
    fs.writeFileSync(path.join(repo, 'src', 'b.ts'), B);
    scenario = agentTask;
    const cache = new CacheModel();
    server = await startFakeDeepSeek({ billing: (b, o) => cache.bill(b, o), scenario: (b, i, n) => scenario(b, i, n) });
  });
  afterEach(async () => {
    await server.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it(
    'without --apply or --allow-run: nothing is written or run, the model is told, ' + 'tool events come in order',
    async () => {
      const r = await run(['Fix the constants', '--dir', repo, '--agent', '--json']);
      assert.equal(r.code, 0, r.stderr);
      const seq = tools(r.events).map((e) => `${e.type}:${e.name}${e.type === 'tool_result' ? `:${e.ok}` : ''}`);
      assert.deepEqual(seq, [
        'tool_call:read_files',
        'tool_result:read_files:true',
        'tool_call:edit_files',
        'tool_result:edit_files:false',
        'tool_call:run_command',
        'tool_result:run_command:false',
        'tool_call:get_problems',
        'tool_result:get_problems:false',
      ]);
      const call = tools(r.events)[0]!;
      assert.deepEqual(Object.keys(call).sort(), ['arguments', 'id', 'name', 'type']);
      assert.deepEqual(JSON.parse(call.arguments as string), { paths: ['src/a.ts'] });
      assert.deepEqual(Object.keys(tools(r.events)[1]!).sort(), ['id', 'name', 'ok', 'summary', 'type']);
      assert.equal(r.events.at(-1)!.type, 'end');
      assert.equal(r.events.at(-1)!.steps, 4);
      assert.equal(fs.readFileSync(path.join(repo, 'src/a.ts'), 'utf8'), A, 'not written');
      assert.match(
        r.stderr,
        /\+\+\+ b\/src\/a\.ts\n@@ -1,1 \+1,1 @@\n-export const a = 1;\n\+export const a = 1; \/\/ edited by the agent/,
      );
      const told = lastToolMessages();
      assert.match(told[1]!, /src\/a\.ts: not applied: the change awaits the user's review/);
      assert.equal(told[2], 'Not run: running commands is not allowed in this session.');
      assert.match(told[3]!, /No problems are available here/);
    },
  );

  it('--apply writes the change set and --allow-run runs the command', async () => {
    const r = await run(['Fix the constants', '--dir', repo, '--agent', '--apply', '--allow-run', '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(fs.readFileSync(path.join(repo, 'src/a.ts'), 'utf8'), 'export const a = 1; // edited by the agent\n');
    assert.equal(fs.readFileSync(path.join(repo, 'src/b.ts'), 'utf8'), 'export const b = 2; // edited by the agent\n');
    const results = r.events.filter((e) => e.type === 'tool_result');
    assert.deepEqual(
      results.map((e): unknown[] => [e.name, e.ok]),
      [
        ['read_files', true],
        ['edit_files', true],
        ['run_command', true],
        ['get_problems', false],
      ],
    );
    assert.equal(results[2]!.summary, '`node --version`: exit code 0');
    assert.match(
      lastToolMessages()[2]!,
      new RegExp(`^\\$ node --version\\nexit code 0\\n${process.version.replace(/\./g, '\\.')}\\n$`),
    );
  });

  it('--allow-run PREFIX runs only commands that start with it', async () => {
    const other = await run(['Fix', '--dir', repo, '--agent', '--allow-run', 'npm test', '--allow-run=make', '--json']);
    assert.equal(other.code, 0, other.stderr);
    assert.match(lastToolMessages()[2]!, /^Not run: only commands starting with `npm test`, `make` may run/);
    const node = await run(['Fix', '--dir', repo, '--agent', '--allow-run', 'node', '--json']);
    assert.equal(node.events.filter((e) => e.type === 'tool_result')[2]!.ok, true);
  });

  it('prints the steps and the diffs for people without --json', async () => {
    const r = await run(['Fix the constants', '--dir', repo, '--agent']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /→ read_files \{"paths":\["src\/a\.ts"\]\}\n {2}✓ read src\/a\.ts \(\d+ tokens\)/);
    assert.match(r.stderr, /→ run_command .*\n {2}✗ Not run: running commands is not allowed/);
    assert.match(r.stdout, /--- a\/src\/b\.ts\n\+\+\+ b\/src\/b\.ts/);
    assert.match(r.stdout, /Done\. What the tools said:/);
  });

  it('--conversation keeps the steps; --continue resumes a cut turn at the step it stopped', async () => {
    const conv = path.join(tmp, 'c.jsonl');
    let cutBody: ChatBody | undefined;
    scenario = (body, i, attempt) => {
      if (agentStep(body) === 2 && attempt === 0) {
        cutBody = body;
        return { steps: [{ kind: 'reasoning', text: 'Running the' }, { kind: 'cut' }] };
      }
      return agentTask(body, i, attempt);
    };
    const first = await run([
      'Fix the constants',
      '--dir',
      repo,
      '--agent',
      '--apply',
      '--conversation',
      conv,
      '--json',
    ]);
    assert.equal(first.code, 1, first.stderr);
    assert.equal(first.events.at(-1)!.outcome, 'interrupted');
    const before = server.chatRequests().length;
    const again = await run(['--continue', '--dir', repo, '--agent', '--apply', '--conversation', conv, '--json']);
    assert.equal(again.code, 0, again.stderr);
    const resumed = server.chatRequests()[before]!.body!;
    assert.deepEqual(resumed.messages, cutBody!.messages, 'the same request again: nothing lost, nothing added');
    assert.deepEqual(
      tools(again.events).map((e) => `${e.type}:${e.name}`),
      ['tool_call:run_command', 'tool_result:run_command', 'tool_call:get_problems', 'tool_result:get_problems'],
    );
    const lines = fs
      .readFileSync(conv, 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { type: string }).type);
    assert.equal(lines.filter((t) => t === 'tool_result').length, 4);
  });

  it('a cut agent turn says, for people, on lines of their own, to continue it with --agent', async () => {
    const conv = path.join(tmp, 'c.jsonl');
    scenario = (body, i, attempt) =>
      agentStep(body) === 2 && attempt === 0
        ? { steps: [{ kind: 'reasoning', text: 'Running the' }, { kind: 'cut' }] }
        : agentTask(body, i, attempt);
    const r = await run(['Fix the constants', '--dir', repo, '--agent', '--conversation', conv]);
    assert.equal(r.code, 1, r.stderr);
    // The thinking cut mid-line ends its line before the error; the hint names --agent.
    assert.match(
      r.stderr,
      /\nRunning the\nerror: .*\n\(run again with --continue --agent --conversation \S+c\.jsonl to finish it\)\n/,
    );
    assert.doesNotMatch(r.stderr, /next\.\d/, 'a usage line starts a line of its own after thinking');
  });

  /**
   * `ask 'Run it' --agent --allow-run` on the fake server as a process of its own (its output piped); `preload`: a
   * script `node --require`s first, with `env`.
   */
  function runItInBackground(preload: string[] = [], env: NodeJS.ProcessEnv = {}) {
    return spawn(process.execPath, [...preload, CLI, 'ask', 'Run it', '--dir', repo, '--agent', '--allow-run'], {
      env: {
        ...process.env,
        DEEPSEEK_API_KEY: 'sk-test-key-123',
        DEEPSEEK_BASE_URL: server.url,
        DEEPSEEK_REPO_CACHE_DIR: path.join(tmp, 'cache'),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  /**
   * Runs a command that never ends and writes its pid to `pid` in the repository (it runs in its own process group,
   * out of reach of signals to the CLI); `end` ends the CLI once the command runs. The CLI's exit code and stderr, and
   * whether the command outlived it (killed then, not to be left behind by a failing test).
   */
  async function commandOutlives(
    end: (child: ReturnType<typeof runItInBackground>) => void,
    preload: string[] = [],
    env: NodeJS.ProcessEnv = {},
    { ignoresTerm = false } = {},
  ): Promise<{ code: number | null; stderr: string; outlived: boolean }> {
    const deaf = ignoresTerm ? "process.on('SIGTERM', () => {}); " : '';
    const pidWritten = "require('fs').writeFileSync('pid', String(process.pid))";
    const command = `node -e "${deaf}${pidWritten}; setInterval(() => {}, 1000)"`;
    scenario = agentScenario((_body, step) =>
      step === 0 ? { calls: [{ name: 'run_command', args: { command } }] } : { content: 'Done.' },
    );
    const child = runItInBackground(preload, env);
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.stdout.resume();
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const pidFile = path.join(repo, 'pid');
    await until('the command to start', () => fs.existsSync(pidFile) && fs.readFileSync(pidFile, 'utf8') !== '');
    const pid = Number(fs.readFileSync(pidFile, 'utf8'));
    end(child);
    const code = await exited;
    // Alive: signals reach it and it is not a zombie (ended, waiting for a parent that may never reap it).
    const alive = () => {
      try {
        process.kill(pid, 0);
      } catch {
        return false;
      }
      try {
        return !/^State:\s+Z/m.test(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
      } catch {
        return true; // no /proc: signals reach it
      }
    };
    // A signal sent as the CLI ends takes effect a moment later: outlived = still running long after that moment.
    const outlived = await until('the command to end', () => !alive()).then(
      () => false,
      () => true,
    );
    if (outlived) process.kill(pid, 'SIGKILL');
    return { code, stderr, outlived };
  }

  it('a kill (SIGTERM) while a command runs stops the command with it, exit 143', async () => {
    const r = await commandOutlives((child) => child.kill('SIGTERM'));
    assert.equal(r.code, 143, r.stderr);
    assert.ok(!r.outlived, 'the command outlived the CLI');
  });

  it('a crash (an error nothing caught) while a command runs stops the command, reports the bug, exit 70', async () => {
    // The preload throws from a timer once the command has written its pid file: the CLI does nothing to end.
    const r = await commandOutlives(() => undefined, ['--require', path.join(REPO, 'test/helpers/crashWhen.cjs')], {
      DSR_CRASH_WHEN: path.join(repo, 'pid'),
    });
    assert.equal(r.code, 70, r.stderr);
    assert.match(r.stderr, /deepseek-repo: internal error: Error: a test made this process crash/);
    assert.ok(!r.outlived, 'the command outlived the CLI');
  });

  it('a crash does not wait for a command that ignores SIGTERM, and the command does not outlive it', async () => {
    const r = await commandOutlives(
      () => undefined,
      ['--require', path.join(REPO, 'test/helpers/crashWhen.cjs')],
      { DSR_CRASH_WHEN: path.join(repo, 'pid') },
      { ignoresTerm: true },
    );
    assert.equal(r.code, 70, r.stderr);
    assert.ok(!r.outlived, 'the command outlived the CLI');
  });

  it('a reader closing the output early (| head) stops a running command with the answer, exit 141', async function () {
    if (!fs.existsSync('/proc/self/cmdline')) notRunHere(this, 'finding the command left running needs /proc');
    // A command that never ends, findable by a word in its command line (from its start, before it can say who it is).
    const tag = `dsr-closed-pipe-${process.pid}-${Date.now()}`;
    const command = `exec node -e "setInterval(() => {}, 1000)" ${tag}`;
    // The text, then (once the reader is gone) the call: the line end written before the call is what finds the pipe
    // closed, as with `| head -c 10` reading the text and quitting.
    let readerGone!: () => void;
    const gone = new Promise<void>((resolve) => (readerGone = resolve));
    scenario = (body) =>
      agentStep(body) === 0
        ? {
            steps: [
              { kind: 'content', text: 'Running it.' },
              { kind: 'until', ready: gone },
              { kind: 'toolCall', id: 'call_0_0', name: 'run_command', arguments: JSON.stringify({ command }) },
              { kind: 'finish', reason: 'tool_calls' },
              { kind: 'usage' },
              { kind: 'done' },
            ],
          }
        : answerReply('Done.\n');
    const child = runItInBackground();
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    await until('the text', () => stdout.includes('Running it.'));
    await new Promise((resolve) => child.stdout.once('close', resolve).destroy());
    readerGone();
    assert.equal(await exited, 141, stderr);
    // Left running: a process carrying the word (a zombie, ended and not yet reaped, has an empty command line).
    const left = fs.readdirSync('/proc').filter((pid) => {
      try {
        return /^\d+$/.test(pid) && fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(tag);
      } catch {
        return false; // ended meanwhile
      }
    });
    for (const pid of left) process.kill(Number(pid), 'SIGKILL'); // not left behind by a failing test
    assert.deepEqual(left, [], 'the command outlived the CLI');
    // It did start, and was stopped as by Ctrl-C.
    assert.match(stderr, /→ run_command[^]*stopped by the user/);
  });

  it('at the step limit, plain output says how to go on: --continue --agent on the conversation file', async () => {
    const conv = path.join(tmp, 'conv.jsonl');
    const r = await run(['Fix the constants', '--dir', repo, '--agent', '--max-steps', '1', '--conversation', conv]);
    assert.match(
      r.stderr,
      /stopped after 1 tool steps, the step limit: run again with --continue --agent --conversation /,
    );
    assert.ok(r.stderr.includes(conv), r.stderr);
    const again = await run(['--continue', '--dir', repo, '--agent', '--conversation', conv]);
    assert.equal(again.code, 0, again.stderr);
  });

  it('--continue on a hand-edited turn: ill-formed tool calls or a result are ignored with a warning', async () => {
    const conv = path.join(tmp, 'conv.jsonl');
    const r = await run(['Fix the constants', '--dir', repo, '--agent', '--max-steps', '1', '--conversation', conv]);
    assert.equal(r.code, 1, r.stderr);
    const events = fs
      .readFileSync(conv, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    /** The conversation up to its first event of `type`, that one edited by `edit`. */
    const upTo = (type: string, edit: (e: Record<string, unknown>) => void) => {
      const i = events.findIndex((e) => e.type === type);
      const kept = events.slice(0, i + 1).map((e) => ({ ...e }));
      edit(kept[i]!);
      fs.writeFileSync(conv, kept.map((e) => JSON.stringify(e)).join('\n') + '\n');
    };
    const cases: [string, (e: Record<string, unknown>) => void, string][] = [
      ['tool_calls', (e) => (e.calls = [null]), 'ill-formed tool calls of turn 0 were ignored'],
      [
        'tool_calls',
        (e) => (e.calls = [{ id: 'x', type: 'function' }]),
        'ill-formed tool calls of turn 0 were ignored',
      ],
      ['tool_calls', (e) => (e.calls = 'garbage'), 'ill-formed tool calls of turn 0 were ignored'],
      ['tool_result', (e) => (e.content = { a: 1 }), 'an ill-formed tool result of turn 0 was ignored'],
    ];
    for (const [type, edit, warning] of cases)
      for (const agent of [['--agent'], []]) {
        upTo(type, edit);
        const again = await run(['--continue', '--dir', repo, ...agent, '--conversation', conv]);
        const label = `${type} ${agent.join('')}`;
        assert.equal(again.code, 0, `${label}: ${again.stderr}`);
        assert.ok(again.stderr.startsWith(`warning: ${warning}\n`), `${label}: ${again.stderr}`);
      }
  });

  it('--command-timeout kills a command still running after it, and the model is told', async () => {
    const command = `node -e "setInterval(() => {}, 1000)"`;
    scenario = agentScenario((_body, step) =>
      step === 0 ? { calls: [{ name: 'run_command', args: { command } }] } : { content: 'Done.' },
    );
    const r = await run(['Run it', '--dir', repo, '--agent', '--allow-run', '--command-timeout', '1', '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(lastToolMessages()[0]!, /killed after 1 s, the time limit/);
    const bad = await run(['Run it', '--dir', repo, '--command-timeout', '1']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--command-timeout needs --agent/);
  });

  it('refuses --apply or --allow-run without --agent', async () => {
    const r = await run(['Fix', '--dir', repo, '--apply']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--apply needs --agent/);
  });
});
