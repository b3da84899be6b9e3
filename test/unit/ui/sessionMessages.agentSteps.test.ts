// An agent turn's tool calls to the webview's tool steps (sessionMessages.ts, transcript.ts): live, a call
// shown running and then replaced by its result; replayed, the same steps, a call without a result not run.
import * as assert from 'node:assert/strict';
import { applyEvent, initialState } from '../../../src/chat/replay';
import { NOT_RUN } from '../../../src/chat/agent/stepView';
import type { RequestParams } from '../../../src/llm/types';
import { parseHostMessage } from '../../../src/protocol/messages';
import { sessionMessage, snapshotOf } from '../../../src/ui/sessionMessages';

const defaults: RequestParams = { model: 'deepseek-v4-pro', maxTokens: 4096, thinking: true, reasoningEffort: 'high' };
/** A new conversation's state, for a stored turn's events to be applied to. */
const newState = () =>
  initialState({
    type: 'conversation',
    v: 1,
    id: 'c',
    at: 1,
    params: defaults,
    endpoint: '',
    workspace: 'w',
    title: 't',
  });

describe('agent steps -> webview tool steps (sessionMessages.ts, transcript.ts)', () => {
  const edit = JSON.stringify({
    edits: [
      { path: 'src/a.ts', search: 'a', replace: 'b' },
      { path: 'src/b.ts', search: '', replace: 'x' },
    ],
  });
  it('a tool call shows as a running step with a label from its arguments, its result replaces it', async () => {
    const { applyHostMessage, emptyConversation } = await import('../../../src/protocol/transcript');
    const start = sessionMessage('r1', { type: 'tool_call', turn: 0, id: 'c1', name: 'edit_files', arguments: edit });
    assert.deepEqual(start, {
      type: 'toolStep',
      requestId: 'r1',
      step: { id: 'c1', name: 'edit_files', label: 'edit src/a.ts, src/b.ts' },
    });
    const done = sessionMessage('r1', {
      type: 'tool_result',
      turn: 0,
      id: 'c1',
      name: 'edit_files',
      arguments: edit,
      ok: false,
      summary: '2 files: 1 applied, 1 rejected',
      detail: {
        kind: 'edit',
        files: [
          { path: 'src/a.ts', state: 'applied', created: false },
          { path: 'src/b.ts', state: 'rejected', created: true, reason: 'no' },
        ],
      },
    });
    const cmd = sessionMessage('r1', {
      type: 'tool_result',
      turn: 0,
      id: 'c2',
      name: 'run_command',
      arguments: '{"command":"npm test"}',
      ok: false,
      summary: '`npm test`: exit code 1',
      detail: {
        kind: 'command',
        command: 'npm test',
        approval: 'user',
        exitCode: 1,
        timedOut: false,
        output: 'FAIL\n',
      },
    });
    for (const m of [start, done, cmd]) assert.deepEqual(parseHostMessage(m), m, JSON.stringify(m));
    let c = emptyConversation();
    c = applyHostMessage(c, { type: 'turnStart', requestId: 'r1', index: 0, question: 'Fix it' });
    for (const m of [start, done!, cmd!]) c = applyHostMessage(c, m);
    assert.deepEqual(c.turns[0]!.steps, [
      {
        id: 'c1',
        name: 'edit_files',
        label: 'edit src/a.ts, src/b.ts',
        ok: false,
        summary: '2 files: 1 applied, 1 rejected',
        files: [
          { path: 'src/a.ts', state: 'applied' },
          { path: 'src/b.ts', state: 'rejected' },
        ],
      },
      {
        id: 'c2',
        name: 'run_command',
        label: '$ npm test',
        ok: false,
        summary: '`npm test`: exit code 1',
        exitCode: 1,
        output: 'FAIL\n',
      },
    ]);
    assert.equal(sessionMessage('r1', { type: 'step', turn: 0, step: 2 }), undefined);
  });

  it('a stored agent turn replays with the same steps; a call without a result was not run, unless it runs now', () => {
    const state = newState();
    const calls = [
      {
        id: 'c1',
        type: 'function' as const,
        function: { name: 'read_files', arguments: '{"paths":["a.ts","b.ts","c.ts","d.ts"]}' },
      },
      { id: 'c2', type: 'function' as const, function: { name: 'search', arguments: '{"pattern":"x","path":"src"}' } },
    ];
    applyEvent(state, { type: 'question', at: 1, turn: 0, text: 'q' });
    applyEvent(state, { type: 'tool_calls', at: 2, turn: 0, calls });
    applyEvent(state, {
      type: 'tool_result',
      at: 3,
      turn: 0,
      id: 'c1',
      name: 'read_files',
      ok: true,
      content: 'x',
      summary: 'read 4 files (10 tokens)',
      detail: { kind: 'read', files: [] },
    });
    const snap = snapshotOf(state);
    assert.deepEqual(snap.turns[0]!.steps, [
      {
        id: 'c1',
        name: 'read_files',
        label: 'read a.ts, b.ts and 2 more',
        ok: true,
        summary: 'read 4 files (10 tokens)',
      },
      { id: 'c2', name: 'search', label: 'search /x/ in src', ok: false, summary: NOT_RUN },
    ]);
    assert.ok(parseHostMessage({ type: 'replay', conversation: snap }));
    // The same turn while it runs (opened in a second view): the call is running, not abandoned.
    assert.deepEqual(snapshotOf(state, { running: true }).turns[0]!.steps![1], {
      id: 'c2',
      name: 'search',
      label: 'search /x/ in src',
    });
  });

  it('an edit the turn stopped mid-review replays as not applied (older records: rejected); no undo', async () => {
    const { undoSteps } = await import('../../../src/chat/agent/undo');
    const { turnsOf } = await import('../../../src/chat/conversation');
    const state = newState();
    const editCall = (id: string) => ({
      id,
      type: 'function' as const,
      function: { name: 'edit_files', arguments: edit },
    });
    const stored = (id: string, state: 'stopped' | 'rejected', summary: string) => ({
      type: 'tool_result' as const,
      at: 3,
      turn: 0,
      id,
      name: 'edit_files',
      ok: false,
      content: 'x',
      summary,
      detail: {
        kind: 'edit' as const,
        files: [
          { path: 'src/a.ts', state, created: false },
          { path: 'src/b.ts', state, created: true },
        ],
      },
    });
    applyEvent(state, { type: 'question', at: 1, turn: 0, text: 'q' });
    applyEvent(state, { type: 'tool_calls', at: 2, turn: 0, calls: [editCall('old')] });
    // What Stop left before this change: the same record, said as rejected; it still reads.
    applyEvent(state, stored('old', 'rejected', '2 files: 2 rejected'));
    applyEvent(state, { type: 'step', at: 4, turn: 0 });
    applyEvent(state, { type: 'tool_calls', at: 5, turn: 0, calls: [editCall('new')] });
    applyEvent(state, stored('new', 'stopped', '2 files: 2 not applied (the turn stopped)'));
    applyEvent(state, { type: 'end', at: 6, turn: 0, outcome: 'cancelled' });
    const snap = snapshotOf(state);
    assert.deepEqual(
      snap.turns[0]!.steps!.map((s) => [s.id, s.summary, s.files?.map((f) => f.state)]),
      [
        ['old', '2 files: 2 rejected', ['rejected', 'rejected']],
        ['new', '2 files: 2 not applied (the turn stopped)', ['stopped', 'stopped']],
      ],
    );
    assert.ok(parseHostMessage({ type: 'replay', conversation: snap }), 'the view takes the new state');
    assert.deepEqual(undoSteps(turnsOf(state)[0]!), [], 'nothing was written: nothing to undo');
  });
});
