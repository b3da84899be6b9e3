// `deepseek-repo COMMAND --help` prints that command's usage, and every expected failure is one line on
// stderr with its documented exit code, never a stack trace: run as real processes on the built CLI.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { COMMAND_USAGE, USAGE } from '../../../src/cli/usage';
import { startFakeDeepSeek, type FakeServer } from '../../fake-server/server';
import { requireBuiltCli } from '../../helpers/paths';
import { runCli, type CliRun } from '../../helpers/runCli';
import { tempDir, writeTree } from '../../helpers/tmp';

type Run = Pick<CliRun, 'code' | 'stdout' | 'stderr'>;

describe('CLI help and expected failures', function () {
  let tmp: string;
  let repo: string;
  const run = (args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> =>
    runCli(args, { cwd: tmp, env: { DEEPSEEK_API_KEY: '', DEEPSEEK_REPO_CACHE_DIR: path.join(tmp, 'cache'), ...env } });
  /** One line on stderr, no stack trace, exit code 2. */
  const oneLineFailure = (r: Run, pattern: RegExp) => {
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^[^\n]+\n$/, `one line expected, got:\n${r.stderr}`);
    assert.match(r.stderr, pattern);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  };

  before(requireBuiltCli);
  beforeEach(() => {
    tmp = tempDir('dsr-clihelp-');
    repo = path.join(tmp, 'repo');
    writeTree(repo, { 'src/main.ts': 'export const answer = 42;\n' });
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  for (const command of ['pack', 'ask', 'undo', 'mcp'])
    for (const flag of ['--help', '-h'])
      it(`${command} ${flag} prints the command's usage and exit codes on stdout and exits 0`, async () => {
        const r = await run([command, flag]);
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.stderr, '');
        assert.match(r.stdout, new RegExp(`^usage: deepseek-repo ${command} `));
        assert.match(r.stdout, /exit codes:\n\s+0 .*\n\s+1 .*\n\s+2 /);
      });

  it("--help's usage lines name every option the commands' own usage lines name", () => {
    // The usage lines only: up to the first blank line.
    const options = (text: string) => new Set(text.split('\n\n')[0]!.match(/--[a-z][a-z-]*/g));
    const top = options(USAGE);
    for (const [command, usage] of Object.entries(COMMAND_USAGE))
      for (const option of options(usage)) assert.ok(top.has(option), `${command} ${option} missing from --help`);
  });

  it('--help lists every command and the exit codes', async () => {
    const r = await run(['--help']);
    assert.equal(r.code, 0);
    for (const text of [
      'deepseek-repo pack',
      'deepseek-repo ask',
      'deepseek-repo mcp',
      'COMMAND --help',
      'exit codes:',
      '130',
      '141',
    ])
      assert.ok(r.stdout.includes(text), text);
  });

  it('--help after a question still helps, and a question after -- may be "--help"', async () => {
    assert.equal((await run(['ask', 'what is this?', '--help'])).code, 0);
    const asked = await run(['ask', '--dir', repo, '--', '--help']); // a question: no key, so a dry run
    assert.equal(asked.code, 2);
    assert.match(asked.stderr, /nothing was sent/);
  });

  it('an unknown option or command is one line naming it and where the usage is', async () => {
    oneLineFailure(
      await run(['pack', '--frobnicate']),
      /^deepseek-repo pack: unknown option '--frobnicate' \(see deepseek-repo pack --help\)\n$/i,
    );
    oneLineFailure(
      await run(['ask', 'q', '--budget']),
      /^deepseek-repo ask: .*--budget.*\(see deepseek-repo ask --help\)/,
    );
    oneLineFailure(await run(['pack', '--budget', 'lots']), /--budget must be a positive integer \(tokens\), got lots/);
    oneLineFailure(
      await run(['pack', '--budget', '-5']),
      /: Option '--budget' argument is ambiguous: a value starting with a dash is written '?--budget=-XYZ'? \(see/,
    );
    oneLineFailure(
      await run(['ask', 'q', '--agent', '--max-steps', '0']),
      /--max-steps must be a positive integer \(steps\), got 0/,
    );
    oneLineFailure(
      await run(['frobnicate']),
      /^deepseek-repo: unknown command: frobnicate \(see deepseek-repo --help\)\n$/,
    );
    oneLineFailure(await run(['ask']), /ask needs a question/);
    oneLineFailure(await run(['mcp', '--dir', path.join(tmp, 'missing')]), /^deepseek-repo mcp: not a folder: /);
    oneLineFailure(await run(['mcp', 'extra']), /^deepseek-repo mcp: unexpected argument 'extra'/i);
  });

  it('mcp says once on stderr what it serves, and ends with exit 0 when its input ends', async () => {
    const r = await run(['mcp', '--dir', repo]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, `deepseek-repo mcp: serving ${repo}\n`);
    assert.equal(r.stdout, '');
  });

  it('a folder or file that cannot be used is one line', async () => {
    oneLineFailure(await run(['pack', path.join(tmp, 'missing')]), /not a folder: .*missing/);
    oneLineFailure(await run(['ask', 'q', '--dir', path.join(tmp, 'missing')]), /not a folder/);
    const out = path.join(tmp, 'no', 'such', 'folder', 'pack.txt');
    oneLineFailure(await run(['pack', repo, '--out', out]), /cannot write .*pack\.txt: no such file or directory/);
    const foreign = path.join(tmp, 'notes.jsonl');
    fs.writeFileSync(foreign, '{"hello": "world"}\n');
    oneLineFailure(
      await run(['ask', 'q', '--dir', repo, '--conversation', foreign], { DEEPSEEK_API_KEY: 'sk-x' }),
      /notes\.jsonl is not a deepseek-repo conversation .* left untouched/,
    );
    assert.equal(fs.readFileSync(foreign, 'utf8'), '{"hello": "world"}\n');
  });

  it('a conversation file that is a pipe or a folder is one line (reading a pipe never ended)', async () => {
    const pipe = path.join(tmp, 'pipe.jsonl');
    execFileSync('mkfifo', [pipe]);
    for (const file of [pipe, repo])
      for (const args of [
        ['ask', 'q', '--dir', repo, '--conversation', file],
        ['ask', '--continue', '--dir', repo, '--conversation', file],
        ['undo', '--dir', repo, '--conversation', file],
      ])
        oneLineFailure(
          await run(args, { DEEPSEEK_API_KEY: 'sk-x' }),
          /is not a conversation file \(it is a folder, a pipe or a device\)/,
        );
  });

  it('ask --continue with no conversation file says there is nothing to continue', async () => {
    const missing = path.join(tmp, 'missing.jsonl');
    oneLineFailure(
      await run(['ask', '--continue', '--conversation', missing]),
      /nothing to continue: .*missing\.jsonl does not exist/,
    );
    assert.ok(!fs.existsSync(missing), 'no conversation file is made up');
  });

  describe('with a server', () => {
    let server: FakeServer;
    beforeEach(async () => (server = await startFakeDeepSeek()));
    afterEach(() => server.close());

    it('ask --continue on a complete answer says so in one line, sends nothing, exits 2', async () => {
      const conv = path.join(tmp, 'c.jsonl');
      const env = { DEEPSEEK_API_KEY: 'sk-x', DEEPSEEK_BASE_URL: server.url };
      const first = await run(['ask', 'What does main.ts export?', '--dir', repo, '--conversation', conv], env);
      assert.equal(first.code, 0, first.stderr);
      const sent = server.chatRequests().length;
      const again = await run(['ask', '--continue', '--conversation', conv, '--dir', repo], env);
      oneLineFailure(again, /^deepseek-repo ask: The last answer is complete: there is nothing to continue\.\n$/);
      assert.equal(again.stdout, '');
      assert.equal(server.chatRequests().length, sent, 'nothing was sent');
    });
  });
});
