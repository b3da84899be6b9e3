// An agent turn in the history: tool calls, results and steps are events like any other, replayed
// into the same state, and laid out for the next request as DeepSeek requires: each tool step's
// assistant message with content "" (never null), its reasoning and its calls as received, then one
// tool message per call in order; a call whose result never came is answered "not run".
import * as assert from 'node:assert/strict';
import { HISTORY_VERSION, turnsOf, type HistoryEvent } from '../../../../src/chat/conversation';
import { replay } from '../../../../src/chat/replay';
import { sentTurn } from '../../../../src/chat/sentHistory';
import { MISSING_RESULT, renderLayout } from '../../../../src/chat/prompt';
import type { ToolCall } from '../../../../src/llm/types';

const head: HistoryEvent = {
  type: 'conversation',
  v: HISTORY_VERSION,
  id: 'c',
  at: 1,
  params: { model: 'deepseek-v4-pro', maxTokens: 1000, thinking: true, reasoningEffort: 'high' },
  endpoint: '',
  workspace: 'w',
  title: 't',
};
const call = (id: string, name: string, args: object): ToolCall => ({
  id,
  type: 'function',
  function: { name, arguments: JSON.stringify(args) },
});
const read = call('call_0', 'read_files', { paths: ['a.ts'] });
const search = call('call_1', 'search', { pattern: 'x' });
const edit = call('call_2', 'edit_files', { edits: [] });
const usage = { promptTokens: 100, cacheHitTokens: 90, cacheMissTokens: 10, completionTokens: 5 };
const result = (id: string, name: string, content: string): HistoryEvent => ({
  type: 'tool_result',
  at: 3,
  turn: 0,
  id,
  name,
  ok: true,
  content,
  summary: name,
});

const EVENTS: HistoryEvent[] = [
  head,
  { type: 'question', at: 2, turn: 0, text: 'Fix the bug' },
  { type: 'reasoning', turn: 0, text: 'Read a.ts and search for x.' },
  { type: 'answer', turn: 0, text: 'Let me look.' },
  { type: 'tool_calls', at: 3, turn: 0, calls: [read, search], request: { usage, costUsd: 0.01 } },
  result('call_0', 'read_files', '<file path="a.ts">\nx\n</file>\n'),
  result('call_1', 'search', 'a.ts:1: x\n'),
  { type: 'step', at: 4, turn: 0 },
  { type: 'reasoning', turn: 0, text: 'Now edit.' },
  { type: 'tool_calls', at: 5, turn: 0, calls: [edit], request: { usage, costUsd: 0.002 } },
  result('call_2', 'edit_files', 'a.ts: applied\n'),
  { type: 'step', at: 6, turn: 0 },
  { type: 'reasoning', turn: 0, text: 'All done.' },
  { type: 'answer', turn: 0, text: 'Fixed it.' },
  { type: 'end', at: 7, turn: 0, outcome: 'complete', finishReason: 'stop', request: { usage, costUsd: 0.002 } },
];

describe('agent turns in the history', () => {
  it('replays calls, results and steps into the turn, with the cost of every request', () => {
    const { state, warnings } = replay(EVENTS);
    assert.deepEqual(warnings, []);
    const [t] = turnsOf(state);
    assert.equal(t!.answer, 'Fixed it.');
    assert.equal(t!.reasoning, 'All done.');
    assert.equal(t!.steps!.length, 2);
    assert.deepEqual(t!.steps![0]!.calls, [read, search]);
    assert.equal(t!.steps![0]!.content, 'Let me look.');
    assert.deepEqual(
      t!.steps![0]!.results.map((r) => r.id),
      ['call_0', 'call_1'],
    );
    assert.equal(t!.usage!.promptTokens, 300);
    assert.ok(Math.abs(t!.costUsd! - 0.014) < 1e-9 && Math.abs(state.spentUsd - 0.014) < 1e-9);
    assert.equal(t!.outcome, 'complete');
  });

  it('lays a past agent turn out as DeepSeek requires, and the turn in progress after its question', () => {
    const { state } = replay(EVENTS);
    const msgs = renderLayout([
      { kind: 'turn', turn: sentTurn(turnsOf(state)[0]!) },
      { kind: 'question', text: 'next' },
    ]).map((m) => m.message);
    assert.deepEqual(
      msgs.map((m) => m.role),
      ['system', 'user', 'assistant', 'tool', 'tool', 'assistant', 'tool', 'assistant', 'user'],
    );
    assert.deepEqual(msgs[2], {
      role: 'assistant',
      content: 'Let me look.',
      reasoning_content: 'Read a.ts and search for x.',
      tool_calls: [read, search],
    });
    assert.deepEqual(msgs[3], { role: 'tool', content: '<file path="a.ts">\nx\n</file>\n', tool_call_id: 'call_0' });
    assert.deepEqual(msgs[5], { role: 'assistant', content: '', reasoning_content: 'Now edit.', tool_calls: [edit] });
    assert.deepEqual(
      msgs[7],
      { role: 'assistant', content: 'Fixed it.' },
      'the final answer goes back without its reasoning',
    );
    assert.ok(msgs.every((m) => typeof m.content === 'string'));
  });

  // …a new step drops a cut request’s text
  it('a turn cut between a call and its result answers the call "not run"', () => {
    const cut = EVENTS.slice(0, 6); // call_0 has its result, call_1 not
    const { state } = replay(cut);
    const t = turnsOf(state)[0]!;
    assert.equal(t.outcome, 'interrupted');
    const msgs = renderLayout([{ kind: 'agent', question: t.question, steps: sentTurn(t).steps ?? [] }]).map(
      (m) => m.message,
    );
    assert.deepEqual(msgs.at(-1), { role: 'tool', content: MISSING_RESULT, tool_call_id: 'call_1' });
    const half = replay([...EVENTS.slice(0, 9), { type: 'answer', turn: 0, text: 'half an ans' }]).state;
    assert.equal(turnsOf(half)[0]!.answer, 'half an ans');
    const again = replay([
      ...EVENTS.slice(0, 9),
      { type: 'answer', turn: 0, text: 'half an ans' },
      { type: 'step', at: 9, turn: 0 },
    ]).state;
    assert.equal(turnsOf(again)[0]!.answer, '', 'the request is sent again whole');
    assert.equal(turnsOf(again)[0]!.steps!.length, 1);
  });

  it('a result for a call the turn did not make is a warning, not a change', () => {
    const { warnings } = replay([...EVENTS.slice(0, 5), result('call_9', 'search', 'x')]);
    assert.deepEqual(warnings, ['a result for call call_9, which turn 0 did not make']);
  });
});

describe('undo of an agent turn', () => {
  it('restores each file to its text before the turn, removes created ones, flags files changed since', async () => {
    const { undoSteps, checkUndo } = await import('../../../../src/chat/agent/undo');
    const withSnap = (id: string, snapshots: { path: string; before?: string; after: string }[]): HistoryEvent => ({
      ...(result(id, 'edit_files', 'applied') as Extract<HistoryEvent, { type: 'tool_result' }>),
      snapshots,
    });
    const events: HistoryEvent[] = [
      head,
      { type: 'question', at: 2, turn: 0, text: 'q' },
      { type: 'tool_calls', at: 3, turn: 0, calls: [call('e1', 'edit_files', {})] },
      withSnap('e1', [
        { path: 'a.ts', before: 'a0', after: 'a1' },
        { path: 'new.ts', after: 'n1' },
      ]),
      { type: 'step', at: 4, turn: 0 },
      { type: 'tool_calls', at: 5, turn: 0, calls: [call('e2', 'edit_files', {})] },
      withSnap('e2', [{ path: 'a.ts', before: 'a1', after: 'a2' }]),
    ];
    const steps = undoSteps(turnsOf(replay(events).state)[0]!);
    assert.deepEqual(steps, [
      { path: 'a.ts', restore: 'a0', expected: 'a2' },
      { path: 'new.ts', restore: undefined, expected: 'n1' },
    ]);
    const now: Record<string, string> = { 'a.ts': 'a2', 'new.ts': 'n1 and the user typed' };
    const { safe, changed } = checkUndo(steps, (p) => now[p]);
    assert.deepEqual(
      safe.map((s) => s.path),
      ['a.ts'],
    );
    assert.deepEqual(
      changed.map((s) => s.path),
      ['new.ts'],
    );
  });
});

describe('an agent turn in the Markdown export', () => {
  it('lists each step with what it gave, and folds away what the model was told', async () => {
    const { exportMarkdown } = await import('../../../../src/chat/exportMarkdown');
    const md = exportMarkdown(replay(EVENTS).state);
    assert.match(
      md,
      /### Steps\n\n- `read a\.ts`: read_files\n {2}<details><summary>What the model was told<\/summary>/,
    );
    assert.match(md, /- `search \/x\/`: search\n/);
    assert.match(md, /- `edit \(no files\)`: edit_files\n/);
    assert.match(md, /### Answer\n\nFixed it\./);
  });
});
