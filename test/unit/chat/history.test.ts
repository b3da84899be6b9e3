// History: JSONL logs, replay, damaged lines, list/delete/export, the throttled answer writer.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { turnsOf, type HistoryEvent } from '../../../src/chat/conversation';
import { replay } from '../../../src/chat/replay';
import { exportMarkdown } from '../../../src/chat/exportMarkdown';
import { FileConversationLog, HistoryStore, loadConversation, TurnWriter } from '../../../src/chat/history';

const params = { model: 'deepseek-v4-pro', maxTokens: 8192, thinking: true, reasoningEffort: 'high' as const };
const header = (id: string, at = 1000): HistoryEvent => ({
  type: 'conversation',
  v: 1,
  id,
  at,
  params,
  endpoint: 'https://api.deepseek.com',
  workspace: 'w',
  title: `Title ${id}`,
});
const usage = { promptTokens: 1000, cacheHitTokens: 900, cacheMissTokens: 100, completionTokens: 50 };
const manifest = { hash: 'h'.repeat(64), tokens: 500, files: { 'src/a.ts': 'x', 'src/b.ts': 'y' } };
const summary = { files: 2, outlined: 0, excluded: 1, redactions: 0 };

function conversation(id: string): HistoryEvent[] {
  return [
    header(id),
    { type: 'context', at: 1001, base: { hash: manifest.hash, tokens: 500, manifest, summary } },
    { type: 'question', at: 1002, turn: 0, text: 'What does a.ts do?' },
    { type: 'reasoning', turn: 0, text: 'Reading a.ts. ' },
    { type: 'answer', turn: 0, text: 'It exports ' },
    { type: 'answer', turn: 0, text: '```ts\nconst a = 1;\n```\n' },
    {
      type: 'end',
      at: 1003,
      turn: 0,
      outcome: 'complete',
      finishReason: 'stop',
      request: { usage, costUsd: 0.001 },
      warmup: { usage, costUsd: 0.0005 },
    },
    {
      type: 'update',
      at: 1004,
      update: {
        hash: 'u1',
        tokens: 20,
        changed: ['src/a.ts'],
        added: [],
        removed: ['src/b.ts'],
        files: { 'src/a.ts': 'x2' },
      },
    },
    { type: 'question', at: 1005, turn: 1, text: 'And now?' },
    { type: 'answer', turn: 1, text: 'Half an ans' },
  ];
}

let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsr-hist-'))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('history: replay', () => {
  it('rebuilds turns, costs and the update; a turn the log left streaming reads as interrupted', () => {
    const { state, warnings } = replay(conversation('c1'));
    assert.deepEqual(warnings, []);
    const [t0, t1] = turnsOf(state);
    assert.equal(t0!.answer, 'It exports ```ts\nconst a = 1;\n```\n');
    assert.equal(t0!.reasoning, 'Reading a.ts. ');
    assert.equal(t0!.outcome, 'complete');
    assert.ok(Math.abs(t0!.costUsd! - 0.0015) < 1e-12);
    assert.deepEqual([t1!.answer, t1!.outcome, t1!.streaming], ['Half an ans', 'interrupted', true]);
    assert.ok(Math.abs(state.spentUsd - 0.0015) < 1e-12);
    assert.equal(state.entries[1]!.kind, 'update');
  });

  it('truncate keeps earlier turns and the updates sent with the kept ones; spent money stays spent', () => {
    const events = [
      ...conversation('c1'),
      { type: 'end', at: 1006, turn: 1, outcome: 'complete', request: { usage, costUsd: 0.002 } } as HistoryEvent,
      { type: 'truncate', at: 1007, keep: 1 } as HistoryEvent,
    ];
    const { state } = replay(events);
    assert.deepEqual(
      turnsOf(state).map((t) => t.question),
      ['What does a.ts do?'],
    );
    assert.deepEqual(
      state.entries.map((e) => e.kind),
      ['turn', 'update'],
    );
    assert.ok(Math.abs(state.spentUsd - 0.0035) < 1e-12);
  });

  it('a new context folds earlier updates into the new base', () => {
    const { state } = replay([
      ...conversation('c1'),
      {
        type: 'context',
        at: 1010,
        base: { hash: 'new', tokens: 510, manifest: { ...manifest, hash: 'new' }, summary },
      },
    ]);
    assert.equal(state.base!.hash, 'new');
    assert.deepEqual(
      state.entries.map((e) => e.kind),
      ['turn', 'turn'],
    );
  });

  it('a window event changes the window and output from then on; an implausible one is ignored with a warning', () => {
    const events: HistoryEvent[] = [
      ...conversation('c1'),
      { type: 'window', at: 1006, windowTokens: 16_384, maxTokens: 4_096 },
    ];
    assert.deepEqual(replay(events).state.params, { ...params, windowTokens: 16_384, maxTokens: 4_096 });
    for (const [windowTokens, maxTokens] of [
      [12, 4],
      [16_384, 16_384],
      [16_384, 0],
      [1.5e9, 4_096],
      [16_384, 4_096.5],
    ] as const) {
      const r = replay([...conversation('c1'), { type: 'window', at: 1006, windowTokens, maxTokens }]);
      assert.deepEqual(r.state.params, params, `${windowTokens}/${maxTokens}`);
      assert.match(r.warnings.join(), /was ignored/);
    }
  });

  it('warns about events that do not fit and ignores them', () => {
    const { state, warnings } = replay([
      header('c'),
      { type: 'answer', turn: 3, text: 'stray' },
      { type: 'question', at: 1, turn: 5, text: 'out of order' },
    ]);
    assert.equal(turnsOf(state).length, 0);
    assert.equal(warnings.length, 2);
    assert.throws(() => replay([{ type: 'answer', turn: 0, text: 'x' }]), /not a DeepSeek Repo conversation/);
    assert.throws(() => replay([{ ...header('future'), v: 2 } as HistoryEvent]), /saved by a newer DeepSeek Repo/);
  });
});

describe('history: files', () => {
  it('appends JSONL that reads back event for event, and never holds a key or the pack text', () => {
    const log = new FileConversationLog(path.join(dir, 'c1.jsonl'));
    conversation('c1').forEach((e) => log.append(e));
    assert.deepEqual(log.read().events, conversation('c1'));
    const text = fs.readFileSync(log.file, 'utf8');
    assert.equal(text.trim().split('\n').length, conversation('c1').length);
    assert.ok(!/sk-|apiKey|<repository/.test(text));
    assert.equal(fs.statSync(log.file).mode & 0o777, 0o600);
  });

  it('skips a line cut by a crash, and a damaged line in the middle, keeping the rest', () => {
    const file = path.join(dir, 'c1.jsonl');
    const lines = conversation('c1').map((e) => JSON.stringify(e));
    lines.splice(3, 0, '{"type":"answer","tu');
    fs.writeFileSync(file, lines.join('\n') + '\n{"type":"answer","turn":1,"text":"cut of');
    const { state, warnings } = loadConversation(new FileConversationLog(file));
    assert.equal(turnsOf(state).length, 2);
    assert.equal(turnsOf(state)[1]!.answer, 'Half an ans');
    assert.equal(warnings.length, 2);
    assert.match(warnings.join('\n'), /damaged line[\s\S]*last line was cut/);
  });

  it('lists newest first, marks an interrupted answer, deletes, and leaves foreign files alone', () => {
    const store = new HistoryStore(dir);
    conversation('older').forEach((e) => store.log('older').append(e));
    const newer = conversation('newer')
      .slice(0, 7)
      .map((e) => ('at' in e ? { ...e, at: e.at + 10_000 } : e)) as HistoryEvent[];
    newer.forEach((e) => store.log('newer').append(e));
    fs.writeFileSync(path.join(dir, 'notes.jsonl'), 'not a conversation\n');
    fs.writeFileSync(path.join(dir, 'readme.txt'), 'hello');
    const list = store.list();
    assert.deepEqual(
      list.map((c) => c.id),
      ['newer', 'older'],
    );
    assert.deepEqual([list[1]!.turns, list[1]!.interrupted, list[0]!.interrupted], [2, true, false]);
    assert.equal(list[0]!.title, 'Title newer');
    assert.ok(store.delete('older'));
    assert.equal(store.delete('older'), false);
    assert.deepEqual(
      store.list().map((c) => c.id),
      ['newer'],
    );
    assert.ok(fs.existsSync(path.join(dir, 'notes.jsonl')));
    assert.throws(() => store.log('../escape'), /invalid conversation id/);
  });
});

describe('history: export to Markdown', () => {
  it('gives title, settings, questions, thinking folded, answers with intact code, cut answers and costs', () => {
    const md = exportMarkdown(replay(conversation('c1')).state);
    assert.match(md, /^# Title c1\n/);
    assert.match(md, /Model: `deepseek-v4-pro`, thinking on \(effort high\)/);
    assert.match(md, /## 1\. Question\n\n> What does a\.ts do\?/);
    assert.match(md, /<details><summary>Thinking<\/summary>\n\n```text\nReading a\.ts\. \n```/);
    assert.match(md, /It exports ```ts\nconst a = 1;\n```/);
    assert.match(md, /1000 input tokens \(90% from cache\), 50 output, \$0\.0015/);
    assert.match(
      md,
      /## 2\. Question[\s\S]*Half an ans[\s\S]*the answer was cut off \(the app stopped while it streamed\)/,
    );
  });

  it('fences thinking that itself contains backticks with a longer fence', () => {
    const events = conversation('c1');
    events.splice(3, 1, { type: 'reasoning', turn: 0, text: 'maybe ````x```` here' });
    assert.match(exportMarkdown(replay(events).state), /`{5}text\nmaybe ````x```` here\n`{5}/);
  });
});

describe('history: throttled answer writer', () => {
  it('writes the first delta at once, coalesces within the interval, and flushes the rest', () => {
    let now = 0;
    const written: HistoryEvent[] = [];
    const w = new TurnWriter(
      0,
      (e) => written.push(e),
      () => now,
      250,
    );
    w.addAnswer('a');
    assert.equal(written.length, 1);
    now = 100;
    w.addReasoning('r');
    w.addAnswer('b');
    w.addAnswer('c');
    assert.equal(written.length, 1);
    now = 400;
    w.addAnswer('d');
    assert.deepEqual(written.slice(1), [
      { type: 'reasoning', turn: 0, text: 'r' },
      { type: 'answer', turn: 0, text: 'bcd' },
    ]);
    w.addAnswer('e');
    w.flush();
    assert.deepEqual(written.at(-1), { type: 'answer', turn: 0, text: 'e' });
    w.flush();
    assert.equal(written.length, 4, 'an empty flush writes nothing');
  });

  it('writes a stalled tail from its timer', async () => {
    let now = 0;
    const written = new Promise<HistoryEvent>((resolve) => {
      const w = new TurnWriter(
        0,
        (e) => e.type === 'answer' && e.text === 'tail' && resolve(e),
        () => now,
        5,
      );
      w.addAnswer('head');
      now = 1;
      w.addAnswer('tail'); // buffered: only the timer can write it
    });
    assert.deepEqual(await written, { type: 'answer', turn: 0, text: 'tail' });
  });
});
