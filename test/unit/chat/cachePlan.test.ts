// The cache plan's pieces in isolation: the message layout, the ledger's predictions and corrections,
// re-base decisions, warm-up verdicts, the plan store, and the ContextSource over the context engine.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  chainKeys,
  foreignUnitsMiss,
  predictHit,
  recordRequest,
  requestTag,
  UNIT_TTL_MS,
  type LedgerState,
} from '../../../src/chat/cacheLedger';
import {
  CachePlan,
  coversFocus,
  labelOf,
  rebaseReason,
  VERDICT_RETEST_MS,
  type BaseRecord,
} from '../../../src/chat/cachePlan';
import { contextSourceOf } from '../../../src/chat/contextSource';
import { ContextEngine } from '../../../src/context/engine';
import { fileBlock, renderUpdate } from '../../../src/context/place/render';
import { FilePlanStore, MemoryPlanStore } from '../../../src/chat/planStore';
import { repositoryBoundary, promptTokens, renderLayout, type LayoutItem } from '../../../src/chat/prompt';

const repo: LayoutItem = {
  kind: 'repository',
  text: '<repository>\n' + 'const x = 1;\n'.repeat(400) + '</repository>\n',
  tokens: 1600,
};
const usageOf = (promptTokens: number, cacheHitTokens: number) => ({
  promptTokens,
  cacheHitTokens,
  cacheMissTokens: promptTokens - cacheHitTokens,
  completionTokens: 10,
});

describe('chat prompt layout', () => {
  it('sends reasoning_content back only on tool-call turns; assistant content is always a string', () => {
    const msgs = renderLayout([
      repo,
      { kind: 'turn', turn: { question: 'plain', answer: 'a1' } },
      {
        kind: 'turn',
        turn: {
          question: 'tools',
          answer: '',
          steps: [
            {
              content: '',
              reasoning: 'must keep',
              toolCalls: [{ id: 't1', type: 'function', function: { name: 'read', arguments: '{}' } }],
              toolResults: [{ toolCallId: 't1', content: 'file text' }],
            },
          ],
        },
      },
      { kind: 'turn', turn: { question: 'failed', answer: '' } },
      { kind: 'question', text: 'next' },
    ]).map((m) => m.message);
    assert.deepEqual(
      msgs.map((m) => m.role),
      ['system', 'user', 'assistant', 'user', 'assistant', 'user', 'assistant', 'tool', 'user'],
    );
    assert.equal('reasoning_content' in msgs[4]!, false);
    assert.deepEqual(msgs[6], {
      role: 'assistant',
      content: '',
      reasoning_content: 'must keep',
      tool_calls: [{ id: 't1', type: 'function', function: { name: 'read', arguments: '{}' } }],
    });
    assert.deepEqual(msgs[7], { role: 'tool', content: 'file text', tool_call_id: 't1' });
    assert.ok(!msgs.some((m) => m.content === 'failed'), 'a turn with no answer is left out');
    assert.ok(msgs.every((m) => typeof m.content === 'string'));
  });

  it('marks the warm-up boundary right after the repository message, before any updated files', () => {
    const msgs = renderLayout([
      repo,
      { kind: 'update', text: '<updated_files/>', tokens: 5 },
      { kind: 'question', text: 'q' },
    ]);
    assert.equal(repositoryBoundary(msgs), 2);
    assert.equal(msgs[2]!.message.role, 'assistant', 'the message after the boundary is the assistant ack');
    assert.equal(repositoryBoundary(renderLayout([{ kind: 'question', text: 'q' }])), 0);
    assert.ok(promptTokens(msgs) > 1600);
  });
});

describe('chat cache ledger', () => {
  const ns = 'e|m|thinking|high';
  const req = (q: string, extra: LayoutItem[] = []) => renderLayout([repo, ...extra, { kind: 'question', text: q }]);

  it('predicts a hit on the previous input only when the next message is the assistant one', () => {
    const ledger: LedgerState = {};
    const warm = renderLayout([repo]).slice(0, 2);
    recordRequest(ledger, ns, warm, chainKeys(warm), { usage: usageOf(1700, 0), thinking: true }, 0);
    const q = req('question');
    assert.equal(predictHit(ledger, ns, q, chainKeys(q), 1).tokens, promptTokens(warm));
    const other = renderLayout([repo])
      .slice(0, 2)
      .concat(renderLayout([{ kind: 'question', text: 'x' }]).slice(1));
    assert.equal(predictHit(ledger, ns, other, chainKeys(other), 1).tokens, 0, 'followed by a user message: no match');
    assert.equal(predictHit(ledger, 'other-ns', q, chainKeys(q), 1).tokens, 0);
  });

  it('learns common prefixes (A+B, A+C -> A) and, without thinking, the visible output', () => {
    const ledger: LedgerState = {};
    const b = req('question B');
    const c = req('question C');
    recordRequest(ledger, ns, b, chainKeys(b), { usage: usageOf(1700, 0), thinking: true }, 0);
    assert.equal(predictHit(ledger, ns, c, chainKeys(c), 1).tokens, 0, 'A+C misses after A+B');
    recordRequest(ledger, ns, c, chainKeys(c), { usage: usageOf(1700, 0), thinking: true }, 1);
    const d = req('question D');
    assert.equal(
      predictHit(ledger, ns, d, chainKeys(d), 2).tokens,
      promptTokens(d.slice(0, 3)) - 1,
      'A (through the ack) is a unit',
    );

    const plain: LedgerState = {};
    recordRequest(plain, 'p', b, chainKeys(b), { usage: usageOf(1700, 0), thinking: false, answer: 'the answer' }, 0);
    const follow = renderLayout([
      repo,
      { kind: 'turn', turn: { question: 'question B', answer: 'the answer' } },
      { kind: 'question', text: 'more' },
    ]);
    assert.equal(predictHit(plain, 'p', follow, chainKeys(follow), 1).tokens, promptTokens(follow.slice(0, 5)) - 1);
  });

  it(
    "stops counting on a warm-up's unit for other parameters once a bill " +
      'contradicts it, and keeps it for warm-ups',
    () => {
      const ledger: LedgerState = {};
      const warmTag = requestTag({ maxTokens: 1 });
      const tag = requestTag({ maxTokens: 8192 });
      const warm = renderLayout([repo]).slice(0, 2);
      recordRequest(ledger, ns, warm, chainKeys(warm), { usage: usageOf(1700, 0), thinking: true, tag: warmTag }, 0);
      const q1 = req('question 1');
      assert.equal(
        predictHit(ledger, ns, q1, chainKeys(q1), 1, { tag }).tokens,
        promptTokens(warm),
        'assumed at first',
      );
      // A strict server: the question after the warm-up missed.
      recordRequest(ledger, ns, q1, chainKeys(q1), { usage: usageOf(1800, 0), thinking: true, tag }, 1);
      assert.equal(foreignUnitsMiss(ledger, ns), true);
      const q2 = req('question 2');
      assert.equal(
        predictHit(ledger, ns, q2, chainKeys(q2), 2, { tag }).tokens,
        0,
        'no prefix common with the warm-up',
      );
      assert.equal(
        predictHit(ledger, ns, warm, chainKeys(warm), 2, { tag: warmTag }).tokens,
        promptTokens(warm),
        'the next warm-up still hits its own unit',
      );
      // Same parameters: the common prefix of the two questions is a unit.
      recordRequest(ledger, ns, q2, chainKeys(q2), { usage: usageOf(1800, 0), thinking: true, tag }, 2);
      const q3 = req('question 3');
      assert.equal(predictHit(ledger, ns, q3, chainKeys(q3), 3, { tag }).tokens, promptTokens(q3.slice(0, 3)) - 1);
    },
  );

  it('turns foreign units back on when a hit only they explain is billed', () => {
    const ledger: LedgerState = { [ns]: { units: [], recent: [], foreign: 'miss' } };
    const warm = renderLayout([repo]).slice(0, 2);
    const warmTag = requestTag({ maxTokens: 1 });
    const tag = requestTag({ maxTokens: 8192 });
    recordRequest(ledger, ns, warm, chainKeys(warm), { usage: usageOf(1700, 0), thinking: true, tag: warmTag }, 0);
    const q = req('question');
    assert.equal(predictHit(ledger, ns, q, chainKeys(q), 1, { tag }).tokens, 0);
    recordRequest(ledger, ns, q, chainKeys(q), { usage: usageOf(1800, 1700), thinking: true, tag }, 1);
    assert.equal(foreignUnitsMiss(ledger, ns), false);
    const q2 = req('question 2');
    assert.ok(predictHit(ledger, ns, q2, chainKeys(q2), 2, { tag }).tokens >= promptTokens(warm));
  });

  it('forgets a unit that billing shows is gone, learns a longer hit, and expires old units', () => {
    const ledger: LedgerState = {};
    const a = req('q1');
    recordRequest(ledger, ns, a, chainKeys(a), { usage: usageOf(1700, 0), thinking: true }, 0);
    const same = req('q1');
    assert.ok(predictHit(ledger, ns, same, chainKeys(same), 1).tokens > 0);
    // Billed: no hit at all -> the unit was evicted.
    recordRequest(ledger, ns, same, chainKeys(same), { usage: usageOf(1700, 0), thinking: true }, 2);
    const q2 = renderLayout([repo, { kind: 'question', text: 'q2' }]);
    assert.ok(
      ledger[ns]!.units.every((u) => u.lastUsed === 2),
      'only units created by the last request remain',
    );
    // Billed: a hit we did not predict -> learned as a prefix unit at the message boundary below it.
    const fresh: LedgerState = {};
    recordRequest(
      fresh,
      ns,
      q2,
      chainKeys(q2),
      { usage: usageOf(promptTokens(q2), promptTokens(q2.slice(0, 2)) + 10), thinking: true },
      0,
    );
    assert.ok(fresh[ns]!.units.some((u) => u.kind === 'prefix' && u.count === 2));
    assert.equal(predictHit(fresh, ns, q2, chainKeys(q2), UNIT_TTL_MS + 1).tokens, 0, 'expired');
  });
});

describe('chat cache plan decisions', () => {
  const base: BaseRecord = {
    hash: 'h',
    tokens: 100_000,
    roots: [{ name: 'app', path: '/w/app' }],
    partial: ['src/big/data.ts'],
    summary: { files: 10, outlined: 1, excluded: 0, redactions: 0 },
    createdAt: 0,
    rentTokens: 0,
  };

  it('re-bases for focus, budget, a large delta and paid rent; otherwise keeps the base', () => {
    assert.equal(rebaseReason(base, { tokens: 1000 }, 200_000, 1000), undefined);
    assert.equal(
      rebaseReason(base, { tokens: 1000 }, 200_000, 1000, { activeFile: '/w/app/src/big/data.ts' }),
      'focus',
    );
    assert.equal(rebaseReason(base, { tokens: 1000 }, 200_000, 1000, { pinned: ['/w/app/src/big'] }), 'focus');
    assert.equal(rebaseReason(base, { tokens: 1000 }, 200_000, 1000, { activeFile: '/w/app/src/ok.ts' }), undefined);
    assert.equal(rebaseReason(base, { tokens: 1000 }, 100_500, 1000), 'over-budget');
    assert.equal(rebaseReason(base, { tokens: 50_001 }, 400_000, 0), 'delta-large');
    // Packed under a smaller budget with files left out: a larger budget would hold them.
    assert.equal(rebaseReason({ ...base, budgetTokens: 100_000 }, { tokens: 0 }, 983_040, 0), 'budget-grew');
    assert.equal(rebaseReason({ ...base, budgetTokens: 983_040 }, { tokens: 0 }, 983_040, 0), undefined);
    assert.equal(
      rebaseReason({ ...base, budgetTokens: 100_000, partial: [] }, { tokens: 0 }, 983_040, 0),
      undefined,
      'a whole repository has nothing more to hold',
    );
    assert.equal(rebaseReason({ ...base, rentTokens: 95_000 }, { tokens: 5_000 }, 400_000, 5_000), 'rent-paid');
    assert.equal(
      rebaseReason({ ...base, rentTokens: 95_000 }, { tokens: 5_000 }, 400_000, 0),
      undefined,
      'a cached delta costs no rent',
    );
  });

  it('maps absolute paths to pack labels, multi-root included', () => {
    const roots = [
      { name: 'a', path: '/w/a' },
      { name: 'b', path: 'C:\\w\\b' },
    ];
    assert.equal(labelOf(roots, '/w/a/src/x.ts'), 'a/src/x.ts');
    assert.equal(labelOf(roots, 'C:\\w\\b\\lib\\y.ts'), 'b/lib/y.ts');
    assert.equal(labelOf(roots, '/elsewhere/z.ts'), undefined);
    assert.equal(labelOf([roots[0]!], '/w/a/src/x.ts'), 'src/x.ts');
    assert.equal(coversFocus({ ...base, partial: [] }, { pinned: ['/w/app'] }), true);
  });

  it('judges warm-ups from billed usage: pays, unknown after a miss, useless after two, re-tested after a week', () => {
    let now = 1000;
    const plan = new CachePlan(new MemoryPlanStore(), () => now);
    const k = 'e|m|thinking';
    assert.equal(plan.warmupAllowed(k), true);
    assert.equal(plan.recordWarmup(k, usageOf(50_000, 0), usageOf(50_100, 50_000)).state, 'pays');
    assert.equal(
      plan.recordWarmup(k, usageOf(50_000, 0), usageOf(50_100, 49_900)).state,
      'pays',
      'within the tolerance',
    );
    assert.equal(
      plan.recordWarmup(k, usageOf(50_000, 0), usageOf(50_100, 0)).state,
      'pays',
      'one miss may be an eviction',
    );
    assert.equal(plan.recordWarmup(k, usageOf(50_000, 0), usageOf(50_100, 10)).state, 'useless');
    assert.equal(plan.warmupAllowed(k), false);
    now += VERDICT_RETEST_MS;
    assert.equal(plan.warmupAllowed(k), true);
    assert.deepEqual(plan.verdict(k).last, { warmTokens: 50_000, hitTokens: 10 });
  });
});

describe('chat plan store', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsr-plan-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('saves and loads state; a damaged state file starts afresh', () => {
    const store = new FilePlanStore(dir);
    store.saveState({ v: 1, x: [1, 2] });
    assert.deepEqual(new FilePlanStore(dir).loadState(), { v: 1, x: [1, 2] });
    fs.writeFileSync(path.join(dir, 'plan.json'), '{"v":1,');
    assert.equal(store.loadState(), undefined);
    assert.deepEqual(
      fs.readdirSync(dir).filter((n) => n.endsWith('.tmp')),
      [],
    );
  });

  it('keeps blobs under a size cap, least recently used first out, and refuses unsafe names', () => {
    const store = new FilePlanStore(dir, 2500);
    store.putBlob('a', 'a'.repeat(1000));
    store.putBlob('b', 'b'.repeat(1000));
    const past = new Date(Date.now() - 60_000);
    fs.utimesSync(path.join(dir, 'blobs', 'a'), past, past);
    fs.utimesSync(path.join(dir, 'blobs', 'b'), past, new Date(Date.now() - 120_000));
    assert.equal(store.getBlob('a')?.length, 1000); // touched: now the most recent
    store.putBlob('c', 'c'.repeat(1000));
    assert.equal(store.getBlob('b'), undefined);
    assert.equal(store.getBlob('a')?.length, 1000);
    assert.equal(store.getBlob('c')?.length, 1000);
    assert.throws(() => store.putBlob('../x', 'y'), /invalid blob name/);
  });
});

describe('chat context source over the context engine', () => {
  it('packs, then reports changed/added/removed files with hashes that chain', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsr-src-'));
    try {
      fs.mkdirSync(path.join(dir, 'src'));
      fs.writeFileSync(path.join(dir, 'src', 'a.ts'), 'export const a = 1;\n');
      fs.writeFileSync(path.join(dir, 'src', 'b.ts'), 'export const b = 2;\n');
      const roots = [{ name: 'app', path: dir }];
      const engine = new ContextEngine({ roots, workers: 0 });
      const source = contextSourceOf(engine, roots);
      const req = { budgetTokens: 100_000 };
      const pack = await source.pack(req);
      assert.deepEqual(await source.updatesSince(pack.manifest, req), {
        text: '',
        tokens: 0,
        changed: [],
        added: [],
        removed: [],
        redactions: [],
        files: {},
      });
      fs.writeFileSync(path.join(dir, 'src', 'a.ts'), 'export const a = 10;\r\n');
      fs.writeFileSync(path.join(dir, 'src', 'c.ts'), 'export const c = 3;\n');
      fs.rmSync(path.join(dir, 'src', 'b.ts'));
      const d = await source.updatesSince(pack.manifest, req);
      assert.deepEqual([d.changed, d.added, d.removed], [['src/a.ts'], ['src/c.ts'], ['src/b.ts']]);
      assert.equal(
        d.text,
        renderUpdate(
          [fileBlock('src/a.ts', 'export const a = 10;\n'), fileBlock('src/c.ts', 'export const c = 3;\n')],
          ['src/b.ts'],
        ),
      );
      assert.deepEqual(Object.keys(d.files ?? {}).sort(), ['src/a.ts', 'src/c.ts']);
      const seen = { ...pack.manifest, files: { ...pack.manifest.files, ...d.files } };
      delete seen.files['src/b.ts'];
      assert.equal((await source.updatesSince(seen, req)).text, '', 'nothing new after applying the delta');
      engine.dispose();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
