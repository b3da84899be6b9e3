// The tools through runTool with fake ports: what the model is told for every outcome, the approval
// policy read as data, change sets matched like SEARCH/REPLACE Apply, command output capped and
// redacted.
import * as assert from 'node:assert/strict';
import type { ApprovalPolicy } from '../../../../src/chat/agent/ports';
import { DEFAULT_TOOL_SETTINGS } from '../../../../src/chat/agent/ports';
import { commandAllowed, commandVerdict, suggestedPrefix } from '../../../../src/chat/agent/commandPolicy';
import { runTool, type ToolContext } from '../../../../src/chat/agent/tools';
import { TOOL_NAMES } from '../../../../src/chat/agent/toolDefs';
import { countTokens } from '../../../../src/context/tokens';
import { memoryWorkspace, scriptedFrontEnd, type FrontEndScript } from './fakes';

const REVIEW: ApprovalPolicy = { edits: 'review', commands: { allowed: [], ask: true } };
const PAT = ['ghp', 'zQWBuTSOoRi4A9spHcVY5ncnsDkxkJ0mLq17'].join('_');
let n = 0;
const call = (name: string, args: unknown) => ({
  id: `call_${++n}`,
  type: 'function' as const,
  function: { name, arguments: JSON.stringify(args) },
});

function setup(files: Record<string, string>, script: FrontEndScript = {}, policy = REVIEW, refused = {}) {
  const workspace = memoryWorkspace(files, refused);
  const fe = scriptedFrontEnd(workspace, script);
  const ctx: ToolContext = {
    workspace,
    frontEnd: fe.port,
    policy,
    settings: DEFAULT_TOOL_SETTINGS,
    offered: [...TOOL_NAMES],
  };
  return { ctx, workspace, calls: fe.calls };
}

describe('agent tools', () => {
  describe('edit_files', () => {
    const A = 'function a() {\r\n  return 1;  \r\n}\r\n';
    it(
      'matches like SEARCH/REPLACE Apply (whole lines, trailing space and CRLF tolerated) and makes one change ' +
        'set',
      async () => {
        const { ctx, workspace, calls } = setup({ 'src/a.ts': A, 'src/b.ts': 'x\n' });
        const r = await runTool(
          call('edit_files', {
            edits: [
              { path: 'src/a.ts', search: '  return 1;\n', replace: '  return 2;\n' },
              { path: 'src/new.ts', search: '', replace: 'export const n = 1;\n' },
              { path: 'src/b.ts', search: 'x', replace: 'y' },
            ],
          }),
          ctx,
        );
        assert.equal(calls.proposed.length, 1, 'one change set for the call');
        assert.deepEqual(
          calls.proposed[0]!.files.map((f) => [f.path, f.before === undefined]),
          [
            ['src/a.ts', false],
            ['src/new.ts', true],
            ['src/b.ts', false],
          ],
        );
        assert.equal(workspace.files['src/a.ts'], 'function a() {\r\n  return 2;\r\n}\r\n', 'CRLF kept');
        assert.equal(workspace.files['src/new.ts'], 'export const n = 1;\n');
        assert.equal(r.ok, true);
        assert.equal(r.content, 'src/a.ts: applied\nsrc/new.ts: created\nsrc/b.ts: applied\n');
        assert.equal(r.summary, '3 files: 3 applied');
        assert.deepEqual(r.snapshots?.[1], { path: 'src/new.ts', after: 'export const n = 1;\n' });
        assert.equal(r.snapshots?.[0]?.before, A, 'exact bytes before, for Undo');
      },
    );

    it('names the edit that does not match and offers nothing', async () => {
      const { ctx, calls } = setup({ 'src/a.ts': A });
      const r = await runTool(
        call('edit_files', {
          edits: [
            { path: 'src/a.ts', search: 'function a() {', replace: 'function b() {' },
            { path: 'src/a.ts', search: '  return 3;', replace: '  return 4;' },
          ],
        }),
        ctx,
      );
      assert.equal(calls.proposed.length, 0);
      assert.equal(r.ok, false);
      assert.match(
        r.content,
        /^Nothing was changed: the change set was not offered\.\nEdit 2 \(src\/a\.ts\) does not match the file below the edit before it/,
      );
      assert.match(r.content, /Read the file again/);
      const missing = await runTool(
        call('edit_files', { edits: [{ path: 'src/none.ts', search: 'x', replace: 'y' }] }),
        ctx,
      );
      assert.match(missing.content, /Edit 1 \(src\/none\.ts\) searches a file that does not exist yet/);
    });

    it('refuses paths that may not be written, and placeholders of redacted secrets', async () => {
      const { ctx, calls } = setup({ 'src/k.ts': 'const k = 1;\n' }, {}, REVIEW, {
        '.env': 'a secret file (env-file): never sent',
      });
      const env = await runTool(call('edit_files', { edits: [{ path: '.env', search: '', replace: 'X=1' }] }), ctx);
      assert.equal(
        env.content,
        'Nothing was changed: 1 path may not be edited.\n.env: a secret file (env-file): never sent',
      );
      const ph = await runTool(
        call('edit_files', {
          edits: [{ path: 'src/k.ts', search: 'const k = 1;', replace: "const k = '[REDACTED:github-pat]';" }],
        }),
        ctx,
      );
      assert.match(ph.content, /writes a \[REDACTED:…\] placeholder/);
      assert.equal(calls.proposed.length, 0);
    });

    it('tells the model exactly what the user decided per file', async () => {
      const { ctx } = setup(
        { 'a.ts': 'a\n', 'b.ts': 'b\n', 'c.ts': 'c\n', 'd.ts': 'd\n' },
        {
          review: {
            'a.ts': { state: 'applied', text: 'A2\nmine\n' },
            'b.ts': { state: 'rejected', reason: 'keep b as it is' },
            'c.ts': { state: 'pending' },
            'd.ts': { state: 'failed', reason: 'the disk is full' },
          },
        },
      );
      const edit = (p: string) => ({ path: p, search: p[0]!, replace: `${p[0]!.toUpperCase()}2` });
      const r = await runTool(call('edit_files', { edits: ['a.ts', 'b.ts', 'c.ts', 'd.ts'].map(edit) }), ctx);
      assert.equal(r.ok, false);
      const lines = r.content.split('\n');
      assert.match(lines[0]!, /^a\.ts: applied with the user's own changes to your proposal/);
      assert.ok(r.content.includes('+mine'), 'the diff from the proposal to what was written');
      assert.ok(r.content.includes('b.ts: rejected by the user: "keep b as it is"'));
      assert.ok(r.content.includes("c.ts: not applied: the change awaits the user's review"));
      assert.ok(r.content.includes('d.ts: not written: the disk is full'));
      assert.equal(r.summary, '4 files: 1 applied, 1 rejected, 1 awaiting review, 1 not written');
      assert.deepEqual(r.snapshots, [{ path: 'a.ts', before: 'a\n', after: 'A2\nmine\n' }]);
    });

    it('a review the turn stopped is told as not applied, neither rejected nor anything to undo', async () => {
      const { ctx, workspace } = setup(
        { 'a.ts': 'a\n', 'b.ts': 'b\n' },
        {
          review: { 'a.ts': { state: 'stopped' }, 'b.ts': { state: 'stopped' } },
        },
      );
      const r = await runTool(
        call('edit_files', {
          edits: [
            { path: 'a.ts', search: 'a', replace: 'A' },
            { path: 'b.ts', search: 'b', replace: 'B' },
          ],
        }),
        ctx,
      );
      assert.equal(r.ok, false);
      assert.equal(
        r.content,
        'a.ts: not applied: the user stopped the turn before deciding on it\n' +
          'b.ts: not applied: the user stopped the turn before deciding on it\n',
      );
      assert.equal(r.summary, '2 files: 2 not applied (the turn stopped)');
      assert.deepEqual(r.detail, {
        kind: 'edit',
        files: [
          { path: 'a.ts', state: 'stopped', created: false },
          { path: 'b.ts', state: 'stopped', created: false },
        ],
      });
      assert.equal(r.snapshots, undefined, 'nothing was written: nothing to undo');
      assert.deepEqual(workspace.files, { 'a.ts': 'a\n', 'b.ts': 'b\n' });
    });

    it('writes without review when the policy says apply', async () => {
      const { ctx, calls } = setup({ 'a.ts': 'a\n' }, {}, { ...REVIEW, edits: 'apply' });
      await runTool(call('edit_files', { edits: [{ path: 'a.ts', search: 'a', replace: 'b' }] }), ctx);
      assert.equal(calls.proposed.length, 0);
      assert.equal(calls.applied.length, 1);
    });
  });

  describe('run_command', () => {
    it('reads the policy as data: prefixes run, others ask or are refused; operators never ride on a prefix', () => {
      assert.equal(commandAllowed('npm test', ['npm test']), true);
      assert.equal(commandAllowed('npm test -- --grep x', ['npm test']), true);
      assert.equal(commandAllowed('npm testing', ['npm test']), false);
      for (const c of [
        'npm test; rm -rf ~',
        'npm test && curl x',
        'npm test | sh',
        'npm test > /etc/x',
        'npm test $(id)',
        'npm test `id`',
        'npm test\nrm x',
      ])
        assert.equal(commandAllowed(c, ['npm test']), false, c);
      assert.equal(commandAllowed('anything; at all', ['']), true, "'' allows any command");
      assert.equal(commandVerdict({ edits: 'review', commands: { allowed: [], ask: false } }, 'ls'), 'refuse');
      assert.equal(commandVerdict(REVIEW, 'ls'), 'ask');
      assert.equal(suggestedPrefix('npm test -- --grep x'), 'npm test');
      assert.equal(suggestedPrefix('make -j4'), 'make');
    });

    it('refused by the policy, or declined by the user: not run, and the model is told why', async () => {
      const none = setup({}, {}, { edits: 'review', commands: { allowed: [], ask: false } });
      const r1 = await runTool(call('run_command', { command: 'ls' }), none.ctx);
      assert.equal(r1.content, 'Not run: running commands is not allowed in this session.');
      const some = setup({}, {}, { edits: 'review', commands: { allowed: ['npm test'], ask: false } });
      const r2 = await runTool(call('run_command', { command: 'npm test; curl evil' }), some.ctx);
      assert.match(r2.content, /only commands starting with `npm test` may run/);
      assert.equal(some.calls.runs.length + none.calls.runs.length, 0);
      const asked = setup({}, { approve: () => ({ approved: false, reason: 'not on my machine' }) });
      const r3 = await runTool(call('run_command', { command: 'rm -rf build' }), asked.ctx);
      assert.deepEqual(asked.calls.approvals, ['rm -rf build']);
      assert.equal(r3.content, 'Not run: the user declined to run it: "not on my machine".');
      assert.equal(asked.calls.runs.length, 0);
    });

    it('gives the exit code and the output tail, capped in tokens, secrets redacted', async () => {
      const big = Array.from({ length: 5000 }, (_, i) => `line ${i} of the test output`).join('\n');
      const { ctx, calls } = setup(
        {},
        {
          run: () => ({
            exitCode: 1,
            timedOut: false,
            output: `${big}\ntoken=${PAT}\nFAILED 3 tests\n`,
            droppedBytes: 0,
          }),
        },
        { edits: 'review', commands: { allowed: ['npm test'], ask: false } },
      );
      const r = await runTool(call('run_command', { command: 'npm test' }), ctx);
      assert.deepEqual(calls.runs, ['npm test']);
      assert.equal(r.ok, false);
      assert.match(r.content, /^\$ npm test\nexit code 1\n\(only the last 4,000 tokens of the output\)\n/);
      assert.ok(r.content.endsWith('FAILED 3 tests\n'));
      assert.ok(!r.content.includes(PAT) && r.content.includes('[REDACTED:'));
      assert.ok(countTokens(r.content) < 4_100, `capped: ${countTokens(r.content)} tokens`);
      assert.ok(!r.content.includes('line 0 of'), 'the head was dropped');
      assert.equal(r.summary, '`npm test`: exit code 1');
    });

    it('says a command was killed at the time limit', async () => {
      const { ctx } = setup(
        {},
        {
          run: (_c, o) => ({
            exitCode: null,
            signal: 'SIGTERM',
            timedOut: true,
            output: `waited ${o.timeoutMs}`,
            droppedBytes: 0,
          }),
        },
        { edits: 'review', commands: { allowed: [''], ask: false } },
      );
      const r = await runTool(call('run_command', { command: 'cat' }), ctx);
      assert.match(r.content, /killed after 120 s, the time limit \(it may wait for input or never end\)/);
    });
  });

  describe('read_files, search, get_problems', () => {
    it('appends whole files in the pack form, refusals one line each, within the token cap', async () => {
      const { ctx } = setup({ 'a.ts': 'export const a = 1;\n', 'big.ts': 'x = 1;\n'.repeat(60_000) }, {}, REVIEW, {
        '.env': 'a secret file (env-file): never sent',
      });
      const r = await runTool(call('read_files', { paths: ['a.ts', '.env', 'big.ts'] }), ctx);
      assert.match(
        r.content,
        /^<file path="a\.ts">\nexport const a = 1;\n<\/file>\n\.env: not read: a secret file \(env-file\): never sent\nbig\.ts: not read: too long to read whole/,
      );
      assert.equal(r.ok, false);
      assert.match(r.summary, /^read a\.ts \(\d+ tokens\); 2 paths refused$/);
    });

    it('search lines as path:line: text, with the count left out', async () => {
      const { ctx } = setup({ 'a.ts': 'foo\nbar foo\n', 'b.ts': 'foo\n' });
      const r = await runTool(call('search', { pattern: 'foo' }), {
        ...ctx,
        settings: { ...ctx.settings, searchMatches: 2 },
      });
      assert.equal(
        r.content,
        'a.ts:1: foo\na.ts:2: bar foo\n(1 more match not shown: narrow the pattern or the path.)\n',
      );
      assert.equal(r.summary, '3 matches for /foo/ in 2 files');
    });

    it('problems where the front end has them, and a pointer to run_command where it has none (the CLI)', async () => {
      const vs = setup(
        {},
        {
          problems: [
            {
              path: 'a.ts',
              line: 3,
              column: 5,
              severity: 'error',
              message: "Cannot find name 'x'.",
              source: 'ts',
              code: '2304',
            },
          ],
        },
      );
      const r = await runTool(call('get_problems', { paths: ['a.ts'] }), vs.ctx);
      assert.equal(r.content, "a.ts:3:5: error: Cannot find name 'x'. [ts 2304]\n");
      const cli = setup({});
      const none = await runTool(call('get_problems', {}), cli.ctx);
      assert.match(none.content, /No problems are available here .*run_command instead/);
    });

    it('a port that throws becomes a result, never an exception', async () => {
      const { ctx } = setup({});
      ctx.workspace.readFiles = async () => {
        throw new Error(`disk on fire near ${PAT}`);
      };
      const r = await runTool(call('read_files', { paths: ['a'] }), ctx);
      assert.match(r.content, /^read_files failed: disk on fire/);
      assert.ok(!r.content.includes(PAT));
    });
  });
});
