// `deepseek-repo undo` as a real process, on conversations an `ask --agent --apply` run against the fake DeepSeek
// server wrote: the files come back byte for byte and created ones go; a file changed since stops the undo unless
// --force; a conversation from other folders, or one whose paths leave the folders, changes nothing.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { agentScenario } from '../../fake-server/agentScenario';
import { startFakeDeepSeek, type FakeServer } from '../../fake-server/server';
import { requireBuiltCli } from '../../helpers/paths';
import { runCli } from '../../helpers/runCli';

/** CRLF line endings and a byte-order mark: undo must give back these exact bytes. */
const A = '\uFEFFexport const a = 1;\r\nexport const keep = 2;\r\n';

describe('CLI undo', function () {
  this.timeout(120_000); // CLI runs outrun 20 s on a loaded shared machine (as askCommand.test.ts)
  let tmp: string;
  let repo: string;
  let conv: string;
  let server: FakeServer;
  const file = (rel: string) => path.join(repo, rel);
  const undo = (...args: string[]) => runCli(['undo', '--conversation', conv, '--dir', repo, ...args]);
  /** `ask 'Change a' --agent --apply` on the fake server, which changes a.ts and creates new.ts. */
  const ask = (...args: string[]) =>
    runCli(['ask', 'Change a', '--dir', repo, '--agent', '--apply', ...args], {
      env: {
        DEEPSEEK_API_KEY: 'sk-test-key-123',
        DEEPSEEK_BASE_URL: server.url,
        DEEPSEEK_REPO_CACHE_DIR: path.join(tmp, 'cache'),
      },
    });

  beforeEach(async () => {
    requireBuiltCli();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dsr-undo-'));
    repo = path.join(tmp, 'repo');
    conv = path.join(tmp, 'c.jsonl');
    fs.mkdirSync(path.join(repo, 'src'), { recursive: true });
    fs.writeFileSync(file('src/a.ts'), A);
    // One edit_files call: a.ts changed, new.ts created; then the answer.
    server = await startFakeDeepSeek({
      scenario: agentScenario((_body, step) =>
        step === 0
          ? {
              calls: [
                {
                  name: 'edit_files',
                  args: {
                    edits: [
                      { path: 'src/a.ts', search: 'export const a = 1;', replace: 'export const a = 10;' },
                      { path: 'src/new.ts', search: '', replace: 'export const n = 0;\n' },
                    ],
                  },
                },
              ],
            }
          : { content: 'Done.' },
      ),
    });
    const asked = await ask('--conversation', conv, '--json');
    assert.equal(asked.code, 0, asked.stderr);
    assert.equal(asked.events.at(-1)!.conversation, conv, 'the end event names the conversation file');
    assert.equal(fs.readFileSync(file('src/a.ts'), 'utf8'), A.replace('a = 1;', 'a = 10;'), 'the agent wrote a.ts');
    assert.ok(fs.existsSync(file('src/new.ts')), 'the agent created new.ts');
  });
  afterEach(async () => {
    await server.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('puts back the exact bytes and removes the created file; a second undo has nothing to do', async () => {
    const r = await undo();
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'restored src/a.ts\nremoved src/new.ts\n');
    assert.ok(fs.readFileSync(file('src/a.ts')).equals(Buffer.from(A)), 'byte for byte: BOM and CRLF kept');
    assert.equal(fs.existsSync(file('src/new.ts')), false);
    const again = await undo();
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /^Nothing to undo: the files of question 1 are as they were before it\.\n$/);
  });

  it('without --conversation the turn is kept in the cache; the note names the undo that puts it back', async () => {
    fs.rmSync(file('src/new.ts'));
    fs.writeFileSync(file('src/a.ts'), A);
    const r = await ask();
    assert.equal(r.code, 0, r.stderr);
    const kept = /\(to put the files back: deepseek-repo undo --conversation (\S+)\)\n/.exec(r.stderr)?.[1];
    assert.ok(kept, r.stderr);
    assert.equal(path.dirname(kept), path.join(tmp, 'cache', 'agent-turns'));
    const back = await runCli(['undo', '--conversation', kept, '--dir', repo]);
    assert.equal(back.code, 0, back.stderr);
    assert.equal(back.stdout, 'restored src/a.ts\nremoved src/new.ts\n');
    assert.ok(fs.readFileSync(file('src/a.ts')).equals(Buffer.from(A)));
    // With --json, the end event names the kept file.
    const json = await ask('--json');
    assert.equal(json.code, 0, json.stderr);
    const named = json.events.at(-1)!.conversation as string;
    assert.equal(path.dirname(named), path.join(tmp, 'cache', 'agent-turns'));
    assert.equal((await runCli(['undo', '--conversation', named, '--dir', repo])).code, 0);
    assert.ok(fs.readFileSync(file('src/a.ts')).equals(Buffer.from(A)));
  });

  it('the sweep of kept turns 30 days old removes only kept turns, also when agent-turns links elsewhere', async () => {
    const mine = path.join(tmp, 'mine');
    fs.mkdirSync(path.join(mine, 'photos'), { recursive: true });
    fs.mkdirSync(path.join(tmp, 'cache'), { recursive: true });
    fs.symlinkSync(mine, path.join(tmp, 'cache', 'agent-turns'));
    const old = new Date(Date.now() - 40 * 24 * 3600 * 1000);
    const oldTurn = path.join(mine, '20250101-000000-abcdef.jsonl');
    for (const f of ['notes.txt', 'photos/a.png', '20250101-000000-abcdef.jsonl'])
      fs.writeFileSync(path.join(mine, f), 'x');
    for (const f of ['notes.txt', 'photos/a.png', 'photos', '20250101-000000-abcdef.jsonl'])
      fs.utimesSync(path.join(mine, f), old, old);
    fs.writeFileSync(file('src/a.ts'), A);
    fs.rmSync(file('src/new.ts'));
    const r = await ask();
    assert.equal(r.code, 0, r.stderr);
    assert.ok(fs.existsSync(path.join(mine, 'notes.txt')), 'an old file of the user is not a kept turn');
    assert.ok(fs.existsSync(path.join(mine, 'photos', 'a.png')), 'nor an old folder');
    assert.equal(fs.existsSync(oldTurn), false, 'an old kept turn goes');
  });

  it('a file changed since stops the undo before anything is written; --force overwrites it', async () => {
    fs.writeFileSync(file('src/new.ts'), 'export const n = 1; // mine\n');
    const r = await undo();
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      'deepseek-repo undo: src/new.ts changed since the agent wrote it; nothing was undone (--force puts back the ' +
        'text from before question 1, and your later changes to it are lost)\n',
    );
    assert.equal(fs.readFileSync(file('src/new.ts'), 'utf8'), 'export const n = 1; // mine\n', 'kept');
    assert.equal(fs.readFileSync(file('src/a.ts'), 'utf8'), A.replace('a = 1;', 'a = 10;'), 'a.ts untouched too');
    const forced = await undo('--force');
    assert.equal(forced.code, 0, forced.stderr);
    assert.ok(fs.readFileSync(file('src/a.ts')).equals(Buffer.from(A)));
    assert.equal(fs.existsSync(file('src/new.ts')), false);
  });

  it('changes nothing for a conversation of other folders, a path out of them, a question without edits', async () => {
    const other = path.join(tmp, 'other');
    fs.mkdirSync(other);
    const elsewhere = await runCli(['undo', '--conversation', conv, '--dir', other]);
    assert.equal(elsewhere.code, 2);
    assert.match(
      elsewhere.stderr,
      /^deepseek-repo undo: .*c\.jsonl was asked in other folders: run undo with the --dir/,
    );
    // The conversation file is input: a snapshot whose path leaves the folder is refused before any file is touched.
    const written = fs.readFileSync(conv, 'utf8');
    const outside = path.join(tmp, 'out', 'new.ts');
    fs.mkdirSync(path.dirname(outside));
    fs.writeFileSync(outside, 'export const n = 0;\n');
    fs.symlinkSync(path.dirname(outside), file('src/link'));
    for (const bad of ['../out/new.ts', 'src/link/new.ts']) {
      fs.writeFileSync(conv, written.replaceAll('"path":"src/new.ts"', `"path":"${bad}"`));
      const escaped = await undo();
      assert.equal(escaped.code, 2);
      assert.equal(
        escaped.stderr,
        `deepseek-repo undo: nothing was undone: "${bad}" is not a path inside the folders\n`,
      );
      assert.ok(fs.existsSync(outside), `${bad}: the file outside stays`);
    }
    assert.equal(fs.readFileSync(file('src/a.ts'), 'utf8'), A.replace('a = 1;', 'a = 10;'), 'nothing undone');
    const noTurn = await undo('--turn', '2');
    assert.equal(noTurn.code, 2);
    assert.match(noTurn.stderr, /--turn takes a question number from 1 to 1 \(got 2\)/);
  });

  it('a damaged record, a path that is a folder, under a file, via a dangling symlink: nothing undone', async () => {
    const written = fs.readFileSync(conv, 'utf8');
    /** The conversation with its snapshots (a.ts's, then new.ts's) replaced by `edit(snapshots)`. */
    const withSnapshots = (edit: (snaps: { path: string }[]) => unknown) =>
      written
        .split('\n')
        .map((line) => {
          if (!line.includes('"snapshots"')) return line;
          const e = JSON.parse(line) as { snapshots: unknown };
          e.snapshots = edit(e.snapshots as { path: string }[]);
          return JSON.stringify(e);
        })
        .join('\n');
    const withSnapshot = (snap: unknown) =>
      withSnapshots((snaps) => snaps.map((s) => (s.path === 'src/new.ts' ? snap : s)));
    fs.mkdirSync(path.join(tmp, 'out'));
    fs.symlinkSync(path.join(tmp, 'out', 'gone'), file('src/dangling'));
    const cases: [unknown, string][] = [
      [{ path: 'src', after: 'x' }, 'nothing was undone: cannot read src: illegal operation on a directory'],
      [{ path: 'src/a.ts/x', after: 'x' }, 'nothing was undone: cannot read src/a.ts/x: not a directory'],
      [
        { path: 'src/dangling/x.ts', after: 'x' },
        'nothing was undone: "src/dangling/x.ts" is not a path inside the folders',
      ],
      [
        { path: 'src/dangling', before: 'mine', after: 'x' },
        'nothing was undone: "src/dangling" is not a path inside the folders',
      ],
    ];
    const damaged = 'nothing was undone: the record of the files question 1 wrote is damaged (was the file edited?)';
    for (const snap of [
      { path: 5, after: 'x' },
      { path: 'src/new.ts' },
      { path: 'src/x.ts', before: 42, after: 'x' },
      null,
    ])
      cases.push([snap, damaged]);
    for (const [snap, message] of cases) {
      fs.writeFileSync(conv, withSnapshot(snap));
      for (const force of [[], ['--force']]) {
        const r = await undo(...force);
        assert.deepEqual([r.code, r.stderr], [2, `deepseek-repo undo: ${message}\n`], JSON.stringify(snap));
        assert.equal(fs.readFileSync(file('src/a.ts'), 'utf8'), A.replace('a = 1;', 'a = 10;'), 'a.ts untouched');
        assert.ok(fs.existsSync(file('src/new.ts')));
        assert.deepEqual(fs.readdirSync(path.join(tmp, 'out')), [], 'nothing written outside');
      }
    }
    // The snapshots not a list: the same.
    fs.writeFileSync(
      conv,
      withSnapshots((snaps) => ({ snaps })),
    );
    const r = await undo();
    assert.deepEqual([r.code, r.stderr], [2, `deepseek-repo undo: ${damaged}\n`]);
  });
});
