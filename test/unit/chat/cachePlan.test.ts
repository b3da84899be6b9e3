// The cache plan's decisions in isolation: re-basing, pack labels for absolute paths, and warm-up verdicts
// judged from billed usage.
import * as assert from 'node:assert/strict';
import {
  CachePlan,
  coversFocus,
  labelOf,
  rebaseReason,
  VERDICT_RETEST_MS,
  type BaseRecord,
} from '../../../src/chat/cachePlan';
import { MemoryPlanStore } from '../../../src/chat/planStore';
import { usageOf } from './cacheKit';

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
