// The budget (budget.ts): what goes in whole, as an outline, or not at all when the repository does not
// fit, and why; and the same in the engine's pack.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { allocate } from '../../../../src/context/place/budget';
import { ContextEngine } from '../../../../src/context/engine';
import { countTokens } from '../../../../src/context/tokens';
import { tempDir, writeTree } from '../../../helpers/tmp';
import { cand, body, header, head } from './placeKit';

describe('budget', () => {
  const files = [
    cand('a.ts', body('a', 40)),
    cand('b.ts', body('b', 40)),
    cand('c.ts', body('c', 40)),
    cand('d.md', 'plain notes\n'.repeat(30)),
  ];
  it('includes everything whole when it fits', async () => {
    const plan = await allocate(files, { budgetTokens: 1_000_000 }, head);
    assert.deepEqual(
      [...plan.placed.values()].map((p) => p.status),
      ['included', 'included', 'included', 'included'],
    );
  });
  it('when it does not fit: the best-ranked whole, the rest as outlines, never over the budget', async () => {
    const wholeA = await files[0]!.tokens();
    const budget = countTokens(header(files.map((f) => ({ label: f.label, status: 'outline' })))) + wholeA + 100;
    const plan = await allocate(files, { budgetTokens: budget, question: 'what does b.ts do?' }, head);
    const status = Object.fromEntries([...plan.placed].map(([l, p]) => [l, p.status]));
    assert.equal(status['b.ts'], 'included');
    assert.equal(status['a.ts'], 'outline');
    assert.equal(status['d.md'], 'excluded', 'markdown with no headings has no outline');
    const used = plan.headerTokens + [...plan.placed.values()].reduce((n, p) => n + p.tokens, 0);
    assert.ok(used <= budget, `${used} > ${budget}`);
    assert.match(
      plan.placed.get('a.ts')!.block,
      /^<file path="a.ts" outline="exported signatures only">\n1: export function a\(x: number\): number\n<\/file>\n$/,
    );
    assert.match(plan.header, /a\.ts \(outline\)/);
    assert.match(plan.header, /d\.md \(left out\)/);
  });
  it('leaves out the lowest-ranked files when even the outlines do not fit', async () => {
    const budget = countTokens(header(files.map((f) => ({ label: f.label, status: 'excluded' })))) + 45;
    const plan = await allocate(files, { budgetTokens: budget, question: 'c.ts' }, head);
    const used = plan.headerTokens + [...plan.placed.values()].reduce((n, p) => n + p.tokens, 0);
    assert.ok(used <= budget);
    assert.equal(plan.placed.get('c.ts')!.status, 'outline');
    assert.equal([...plan.placed.values()].filter((p) => p.status === 'excluded').length, 3);
  });
});

describe('budget in the engine', () => {
  it('gives every file a status and reason `budget`, lists them in the tree, stays within the budget', async () => {
    const dir = tempDir('dsr-budget-');
    writeTree(dir, Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`src/m${i}.ts`, body(`f${i}`, 30)])));
    const engine = new ContextEngine({ roots: [{ name: 'b', path: dir }], workers: 0 });
    try {
      const budget = 1500;
      const pack = await engine.pack({ budgetTokens: budget, question: 'explain m7.ts' });
      assert.ok(pack.tokens <= budget, `${pack.tokens}`);
      assert.equal(pack.files.length, 12);
      const m7 = pack.files.find((f) => f.path === 'src/m7.ts')!;
      assert.equal(m7.status, 'included');
      for (const f of pack.files.filter((x) => x.status !== 'included')) assert.equal(f.reason, 'budget');
      assert.ok(pack.files.some((f) => f.status === 'outline'));
      assert.match(pack.text, /\n {2}m\d+\.ts \(outline\)\n/);
      assert.match(pack.text, /\n {2}m7\.ts\n/);
    } finally {
      engine.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
