// updatesSince after a pack that did not fit (place/followUp.ts): a file the new question ranks lower
// is kept, not "removed"; an edited outline is sent again as an outline; a file the prefix left out
// is not "added" unless the question points at it, and then it joins whole within the room given.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ContextEngine } from '../../../../src/context/engine';
import { tempDir, writeTree } from '../../../helpers/tmp';

const AREAS = ['billing', 'parser', 'network'];

/** A module of about 900 tokens whose function names carry its area and number. */
const moduleText = (area: string, n: number) =>
  Array.from(
    { length: 20 },
    (_, j) => `export function ${area}Part${n}Step${j}(x: number): number {\n  return x * ${j + 1} + ${n};\n}\n`,
  ).join('');

describe('updatesSince when the repository does not fit', () => {
  let dir: string;
  let engine: ContextEngine;
  beforeEach(() => {
    dir = tempDir('dsr-followup-');
    const files: Record<string, string> = {};
    for (const a of AREAS) for (let n = 0; n < 6; n++) files[`src/${a}/${a}${n}.ts`] = moduleText(a, n);
    writeTree(dir, files);
    engine = new ContextEngine({ roots: [{ name: 'w', path: dir }], workers: 0 });
  });
  afterEach(() => {
    engine.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps what the new question ranks lower, and joins what it points at whole, within the room', async () => {
    const budget = 6000;
    const first = await engine.pack({ budgetTokens: budget, question: 'What does billingPart2Step3 return?' });
    assert.ok(first.manifest.partial);
    const status = new Map(first.files.map((f) => [f.path, f.status]));
    assert.equal(status.get('src/billing/billing2.ts'), 'included');
    assert.notEqual(status.get('src/parser/parser4.ts'), 'included', 'the test needs parser4.ts not whole');
    const next = { budgetTokens: budget, question: 'Why does parserPart4Step9 add 4?' };

    const without = await engine.updatesSince(first.manifest, next);
    assert.deepEqual([without.text, without.changed, without.added, without.removed], ['', [], [], []]);
    assert.equal(without.joined, undefined);

    const delta = await engine.updatesSince(first.manifest, { ...next, joinTokens: 1500 });
    // Best first: the file defining the name the question uses; all of them within the room.
    assert.equal(delta.joined?.[0]?.path, 'src/parser/parser4.ts', JSON.stringify(delta.joined));
    assert.ok(delta.joined.reduce((n, j) => n + j.tokens, 0) <= 1500);
    assert.ok(delta.joined.every((j) => j.was === 'left out' || j.was === 'outlined'));
    assert.ok(delta.joined[0].reasons.includes('defines parserPart4Step9'), JSON.stringify(delta.joined));
    assert.ok(delta.text.includes(`<file path="src/parser/parser4.ts">\n${moduleText('parser', 4)}</file>`));
    assert.match(delta.text, /outlined or left out of the repository block above; here they are whole/);
    assert.deepEqual([delta.changed, delta.added, delta.removed], [[], [], []]);
    assert.ok((delta.unjoined ?? []).every((p) => p !== 'src/parser/parser4.ts'));
  });

  it('sends an edited outline as an outline and an edited whole file whole; a deleted one is removed', async () => {
    const budget = 6000;
    const first = await engine.pack({ budgetTokens: budget, question: 'What does billingPart2Step3 return?' });
    const outlined = first.manifest.outlined ?? [];
    const target = outlined.find((p) => p.startsWith('src/network/'));
    assert.ok(target, `the test needs a network file outlined: ${JSON.stringify(outlined)}`);
    fs.appendFileSync(path.join(dir, target), 'export const added = 1;\n');
    fs.appendFileSync(path.join(dir, 'src/billing/billing2.ts'), '// edited\n');
    fs.rmSync(path.join(dir, 'src/billing/billing5.ts'));
    const inManifest = 'src/billing/billing5.ts' in first.manifest.files;
    const delta = await engine.updatesSince(first.manifest, { budgetTokens: budget, question: 'anything else?' });
    assert.deepEqual(delta.changed.sort(), ['src/billing/billing2.ts', target].sort());
    assert.deepEqual(delta.outlined, [target]);
    assert.ok(delta.text.includes(`<file path="${target}" outline="exported signatures only">\n`), delta.text);
    assert.ok(delta.text.includes('// edited\n'), 'the whole file goes whole');
    assert.deepEqual(delta.removed, inManifest ? ['src/billing/billing5.ts'] : []);
  });
});
