// Ranking by what the question says (terms.ts, rank.ts) and spending the budget on what it points
// at (budget.ts): the file defining a name the question uses, rare words over common ones, tests
// only when asked about, and one large file not crowding out the relevant ones.
import * as assert from 'node:assert/strict';
import { allocate, OUTLINE_SHARE } from '../../../../src/context/place/budget';
import { rankFiles } from '../../../../src/context/place/rank';
import { countOf, definesName, termHash, termStats, wholeHash } from '../../../../src/context/place/terms';
import { cand, head } from './placeKit';

const filler = (name: string, lines: number) =>
  `export function ${name}(x: number): number {\n${'  x = x * 2 + 1; // step along\n'.repeat(lines)}  return x;\n}\n`;

describe('term statistics', () => {
  it('counts identifier parts and compound identifiers whole, and finds the names a file defines', () => {
    const s = termStats(
      'class InsertQueryBuilder {\n  orUpdate() {}\n}\ndef model_dump(self):\n  pass\nfunc (r *Repo) ' +
        'Rename() {}\nconst x = insertQuery;\n',
      'src/query/Insert.ts',
    );
    assert.equal(countOf(s, termHash('insert')), 2 + 3, 'twice in the text, three times from the path');
    assert.equal(countOf(s, termHash('query')), 2 + 3);
    assert.equal(countOf(s, wholeHash('InsertQueryBuilder')), 1);
    assert.equal(countOf(s, wholeHash('model_dump')), 1);
    assert.equal(countOf(s, termHash('nothere')), 0);
    for (const name of ['InsertQueryBuilder', 'model_dump', 'Rename', 'x'])
      assert.ok(definesName(s, wholeHash(name)), name);
    assert.ok(!definesName(s, wholeHash('insertQuery')), 'used, not defined');
    assert.ok(!definesName(s, wholeHash('orUpdate')), 'a method without a keyword is not a definition');
  });
  it('finds no definitions in prose: a changelog saying "let them" or "type a name" defines nothing', () => {
    const text = 'Fixed: let them know\nYou can type correctly now\nclass names are kept\n';
    assert.equal(termStats(text, 'packages/svelte/CHANGELOG.md').defs.length, 0);
    assert.equal(termStats(text, 'docs/guide.rst').defs.length, 0);
    assert.ok(
      definesName(termStats(text, 'src/notes.ts'), wholeHash('them')),
      'the same words in code are definitions',
    );
    assert.equal(countOf(termStats(text, 'CHANGELOG.md'), termHash('correctly')), 1, 'the words still count');
  });
});

describe('ranking by the question', () => {
  it('puts the file defining a name the question uses first, and says why', () => {
    const files = [
      cand('src/a.ts', filler('alpha', 20) + '// approx approx approx\n'),
      cand('src/numbers.ts', 'export function approx(x: number) {\n  return Math.round(x);\n}\n'),
      cand('src/b.ts', filler('beta', 20)),
    ];
    const ranked = rankFiles(files, 'be more lenient in approx', undefined);
    assert.equal(ranked[0]!.label, 'src/numbers.ts');
    assert.ok(
      ranked[0]!.reasons.some((r) => r === 'defines approx'),
      JSON.stringify(ranked[0]),
    );
    assert.ok(ranked[0]!.evidence > 0);
    assert.equal(ranked.at(-1)!.evidence, 0, 'a file the question says nothing about has no evidence');
  });
  it("ranks a long module using the question's words throughout over a two-line file mentioning them once", () => {
    const module =
      filler('walk', 100) +
      Array.from({ length: 6 }, (_, i) => `function part${i}() {\n  return boundary.defer(run${i});\n}\n`).join('');
    const files = [
      cand('src/boundary/walk.ts', module),
      cand('src/flags.ts', 'export const flag = 1; // boundary, defer\n'),
      ...Array.from({ length: 20 }, (_, i) => cand(`src/m${i}.ts`, filler(`m${i}`, 10))),
    ];
    const ranked = rankFiles(files, 'defer the error boundary', undefined);
    assert.equal(ranked[0]!.label, 'src/boundary/walk.ts', JSON.stringify(ranked.slice(0, 2)));
  });
  it('weighs a rare word over a common one', () => {
    const common = Array.from({ length: 10 }, (_, i) => cand(`src/m${i}.ts`, 'export const handler = 1; // handler\n'));
    const files = [...common, cand('src/rare.ts', 'export const tween = 1;\n')];
    assert.equal(rankFiles(files, 'handler of the tween', undefined)[0]!.label, 'src/rare.ts');
  });
  it('ranks tests below the code they test unless the question is about tests', () => {
    const files = [
      cand('src/pipeline.ts', 'export function pipeline() { /* interval bounds */ }\n'),
      cand('test/pipeline.test.ts', 'pipeline(); // interval bounds interval bounds interval bounds\n'),
    ];
    const evidence = (q: string) =>
      Object.fromEntries(rankFiles(files, q, undefined).map((r) => [r.label, r.evidence]));
    const plain = evidence('interval bounds dropped in pipeline');
    const tests = evidence('the test for interval bounds in pipeline fails');
    assert.ok(plain['src/pipeline.ts']! > plain['test/pipeline.test.ts']!, JSON.stringify(plain));
    // Asked about tests, the test file counts in full: over twice what it counted before, against the same module.
    assert.ok(
      tests['test/pipeline.test.ts']! / tests['src/pipeline.ts']! >
        (2 * plain['test/pipeline.test.ts']!) / plain['src/pipeline.ts']!,
      JSON.stringify({ plain, tests }),
    );
  });
  it('counts a changelog or a markdown page as docs: below the code unless the question asks about docs', () => {
    const files = [
      cand('src/queue.ts', 'export function run(batch: Batch) {\n  if (batch.discarded) finish(batch);\n}\n'),
      cand('CHANGELOG.md', '- settle discarded batch\n- settle the discarded batch again\n- batch settle discarded\n'),
      ...Array.from({ length: 8 }, (_, i) => cand(`src/m${i}.ts`, filler(`m${i}`, 3))),
    ];
    const evidence = (q: string) =>
      Object.fromEntries(rankFiles(files, q, undefined).map((r) => [r.label, r.evidence]));
    const plain = evidence('settle discarded batch');
    assert.ok(plain['src/queue.ts']! > plain['CHANGELOG.md']!, JSON.stringify(plain));
    const docs = evidence('the changelog entry for settle discarded batch');
    assert.ok(docs['CHANGELOG.md']! > docs['src/queue.ts']!, JSON.stringify(docs));
  });
  it('counts declarations (.d.ts, .pyi) below the code that implements them unless the question is about types', () => {
    const files = [
      cand('lib/reply.js', 'function removeHeader(reply, key) {\n  delete reply.raw.headers[key];\n}\n'),
      cand(
        'types/reply.d.ts',
        'export interface Reply {\n  removeHeader(key: string): Reply; // raw headers\n' +
          '  raw: RawReply; // raw headers\n}\n',
      ),
      cand('pkg/_core.pyi', 'def remove_header(raw: Raw, key: str) -> None: ... # raw headers raw headers\n'),
      cand('pkg/core.py', 'def remove_header(raw, key):\n    del raw.headers[key]\n'),
      ...Array.from({ length: 8 }, (_, i) => cand(`lib/m${i}.js`, filler(`m${i}`, 3))),
    ];
    const evidence = (q: string) =>
      Object.fromEntries(rankFiles(files, q, undefined).map((r) => [r.label, r.evidence]));
    const plain = evidence('remove raw response headers');
    assert.ok(plain['lib/reply.js']! > plain['types/reply.d.ts']!, JSON.stringify(plain));
    assert.ok(plain['pkg/core.py']! > plain['pkg/_core.pyi']!, JSON.stringify(plain));
    const types = evidence('wrong type for raw headers when removing one');
    assert.ok(types['types/reply.d.ts']! > types['lib/reply.js']!, JSON.stringify(types));
  });
  it('takes a name written as code for the code it names, not for a doc or test sharing its stem', () => {
    const files = [
      cand('docs/concepts/serialization.md', '# Serialization\n\nSerialization of models, in json mode.\n'),
      cand('tests/serialization.py', 'def test_serialization():\n    assert dump(model)\n'),
      cand('pkg/networks.py', 'class Url:\n    def json_schema(self, mode):\n        # url serialization mode\n'),
      cand('pkg/codec/serialization.py', 'def dump(model, mode):\n    return model\n'),
      ...Array.from({ length: 8 }, (_, i) => cand(`pkg/m${i}.py`, `def m${i}(x):\n    return x\n`)),
    ];
    const order = (q: string) => rankFiles(files, q, undefined).map((r) => r.label);
    const plain = order('url json schema in `serialization` mode');
    assert.equal(plain[0], 'pkg/codec/serialization.py', 'the code it names');
    assert.ok(plain.indexOf('pkg/networks.py') < plain.indexOf('docs/concepts/serialization.md'), plain.join());
    assert.ok(plain.indexOf('pkg/networks.py') < plain.indexOf('tests/serialization.py'), plain.join());
    const docs = order('the docs on `serialization` mode');
    assert.ok(docs.indexOf('docs/concepts/serialization.md') < docs.indexOf('pkg/networks.py'), docs.join());
  });
  it('does not put forty files first for a file name they all share', () => {
    const files = [
      ...Array.from({ length: 40 }, (_, i) => cand(`cmd/c${i}/view/view.go`, `package view\nfunc Run${i}() {}\n`)),
      cand('cmd/run/view/view.go', 'package view\n// trims log filenames\nfunc trimLog() {}\n'),
    ];
    const ranked = rankFiles(files, 'the trimming of log filenames for `gh run view`', undefined);
    assert.equal(ranked[0]!.label, 'cmd/run/view/view.go');
  });

  it('takes a path or a name written as code for naming a file, a plain word only as a path word', () => {
    const files = [
      cand('cmd/repo/rename/rename.go', 'package rename\nfunc NewCmdRename() {}\n'),
      cand('cmd/run/shared/shared.go', 'package shared\ntype Run struct {\n  Attempts uint64\n}\n'),
    ];
    const plain = rankFiles(files, 'rename the Attempts field', undefined);
    const rename = plain.find((r) => r.label === 'cmd/repo/rename/rename.go')!;
    assert.ok(!rename.reasons.includes('named in the question'), JSON.stringify(rename));
    assert.ok(rename.reasons.includes('its name is in the question'), JSON.stringify(rename));
    assert.ok(rename.evidence < 500, 'a plain word counts as words do, not as a file named');
    for (const q of ['what does rename.go do', 'what does cmd/repo/rename/rename.go do', 'what does `rename` do']) {
      const named = rankFiles(files, q, undefined);
      assert.equal(named[0]!.label, 'cmd/repo/rename/rename.go', q);
      assert.ok(named[0]!.reasons.includes('named in the question'), q);
    }
  });

  it('lifts the files of a folder the question names as consecutive words (`gh run view`)', () => {
    const files = [
      cand('cmd/run/view/view.go', 'package view\nfunc show() {}\n'),
      cand('cmd/run/view/http.go', 'package view\nfunc fetch() {}\n'),
      cand('cmd/repo/view/http.go', 'package view\nfunc fetch() {}\n'),
    ];
    const ranked = rankFiles(files, 'the `gh run view` fetch is slow', undefined);
    assert.equal(ranked[0]!.label, 'cmd/run/view/http.go', JSON.stringify(ranked));
    assert.ok(ranked[0]!.reasons.includes('its folder is named in the question'), JSON.stringify(ranked[0]));
  });

  it('matches words written apart to the name code writes them as one (`many to many`: ManyToMany)', () => {
    const files = [
      cand('src/ManyToMany.ts', 'export function ManyToMany() {\n  return junction();\n}\n'),
      cand('src/Relation.ts', 'export function relation(many: number) {\n  return many + many;\n}\n'),
    ];
    const ranked = rankFiles(files, 'deferrable for many to many', undefined);
    assert.equal(ranked[0]!.label, 'src/ManyToMany.ts', JSON.stringify(ranked));
  });

  it('looks for the singular of a plural the question uses (`urls`: the module of `AnyUrl`), at half weight', () => {
    const files = [
      cand('src/networks.py', 'class AnyUrl:\n    def host(self, url):\n        return parse_url(url)\n'),
      cand('src/validators.py', 'def check(value):\n    return isinstance(value, str)\n'),
      cand('src/entry.py', 'def entry_point(value):\n    return value\n'),
      cand('src/caches.py', 'def cache_get(key):\n    return key\n'),
    ];
    const top = (q: string) => rankFiles(files, q, undefined)[0]!;
    assert.equal(top('a trailing slash in urls').label, 'src/networks.py');
    assert.deepEqual(top('a trailing slash in urls').reasons, ['question words: url']);
    assert.equal(top('broken entries').label, 'src/entry.py', '-ies: -y');
    assert.equal(top('stale cache keys').label, 'src/caches.py');
    // Words ending in -ss, -us or -is are not plurals.
    assert.equal(top('the status of class analysis').evidence, 0);
  });
});

describe('budget for a question', () => {
  it('sends the files the question points at whole before outlining the rest', async () => {
    // Forty modules whose outlines alone take most of the budget, and two the question is about.
    const files = [
      ...Array.from({ length: 40 }, (_, i) => cand(`src/other${i}.ts`, filler(`other${i}`, 30))),
      cand('src/pipeline.ts', filler('pipeline', 120) + '// interval bounds\n'),
      cand('src/interval.ts', filler('interval', 120) + '// interval bounds\n'),
    ];
    const wholeTwo = (await files.at(-1)!.tokens()) + (await files.at(-2)!.tokens());
    const budget = wholeTwo + 900;
    const plan = await allocate(files, { budgetTokens: budget, question: 'interval bounds dropped in pipeline' }, head);
    assert.equal(plan.placed.get('src/pipeline.ts')!.status, 'included');
    assert.equal(plan.placed.get('src/interval.ts')!.status, 'included');
    const used = plan.headerTokens + [...plan.placed.values()].reduce((n, p) => n + p.tokens, 0);
    assert.ok(used <= budget, `${used} > ${budget}`);
    assert.ok(plan.ranking!.info.get('src/pipeline.ts')!.reasons.length > 0);
  });
  it('does not let one large file that matches a little crowd out several that match well', async () => {
    const files = [
      cand('src/huge.ts', filler('huge', 2000) + '// cache query result\n'),
      ...Array.from({ length: 4 }, (_, i) =>
        cand(`src/cache${i}.ts`, filler(`cache${i}`, 40) + '// cache query result cache\n'),
      ),
    ];
    const small = await files[1]!.tokens();
    const plan = await allocate(files, { budgetTokens: 4 * small + 400, question: 'cache the query result' }, head);
    for (let i = 0; i < 4; i++) assert.equal(plan.placed.get(`src/cache${i}.ts`)!.status, 'included', `cache${i}`);
    assert.notEqual(plan.placed.get('src/huge.ts')!.status, 'included');
  });
});

describe('budget: a file that just fits', () => {
  it('sends whole the file the question is about when it fits, though its bytes suggest it does not', async () => {
    // Indentation-heavy text runs many bytes a token (as Python does): 4 bytes a token overrates it.
    const body = Array.from({ length: 300 }, (_, i) => `${' '.repeat(24)}value_${i} = settle(value_${i})\n`).join('');
    const target = cand('pkg/settle.py', `def settle(x):\n${body}`);
    const others = Array.from({ length: 30 }, (_, i) => cand(`pkg/m${i}.py`, `def m${i}(y):\n    return y\n`));
    const files = [target, ...others];
    const tokens = await target.tokens();
    const budget = tokens + (await head(files.map((f) => ({ label: f.label, status: 'excluded' })))).tokens + 120;
    assert.ok(target.bytes / 4 > budget * 1.25, 'the test needs a file whose bytes overrate its tokens');
    const plan = await allocate(files, { budgetTokens: budget, question: 'what does settle do' }, head);
    assert.equal(plan.placed.get('pkg/settle.py')!.status, 'included');
    const used = plan.headerTokens + [...plan.placed.values()].reduce((n, p) => n + p.tokens, 0);
    assert.ok(used <= budget, `${used} > ${budget}`);
  });
  it('sends whole the file the question points at most though it takes the share kept for outlines', async () => {
    const target = cand('src/settle.ts', filler('settle', 400));
    const others = Array.from({ length: 30 }, (_, i) => cand(`src/m${i}.ts`, filler(`m${i}`, 3)));
    const files = [target, ...others];
    const bare = await head(files.map((f) => ({ label: f.label, status: 'excluded' })));
    const budget = (await target.tokens()) + bare.tokens + 10;
    assert.ok(
      others.every((o) => o.outline()),
      'the others have outlines, so a share of the budget is kept for them',
    );
    assert.ok(OUTLINE_SHARE * budget > 20, 'the test needs a share larger than the room left');
    const plan = await allocate(files, { budgetTokens: budget, question: 'what does settle do' }, head);
    assert.equal(plan.placed.get('src/settle.ts')!.status, 'included');
    const used = plan.headerTokens + [...plan.placed.values()].reduce((n, p) => n + p.tokens, 0);
    assert.ok(used <= budget, `${used} > ${budget}`);
  });
});

describe('reasons in the pack', () => {
  it('each ranked file in a pack that does not fit says why it is where it is', async () => {
    const { ContextEngine } = await import('../../../../src/context/engine');
    const { tempDir, writeTree } = await import('../../../helpers/tmp');
    const fs = await import('node:fs');
    const dir = tempDir('dsr-reasons-');
    writeTree(dir, {
      ...Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`src/m${i}.ts`, filler(`f${i}`, 30)])),
      'src/tween.ts': 'export function tween(to: number) {\n  return to;\n}\n',
    });
    const engine = new ContextEngine({ roots: [{ name: 'r', path: dir }], workers: 0 });
    try {
      const pack = await engine.pack({ budgetTokens: 1500, question: 'clear the reference after abort in tween' });
      const tween = pack.files.find((f) => f.path === 'src/tween.ts')!;
      assert.equal(tween.status, 'included');
      // A bare word that is also the file's stem counts as a path word; `tween.ts` or `src/tween.ts` would name it.
      assert.ok(tween.reasons?.includes('its name is in the question'), JSON.stringify(tween));
      assert.ok(tween.reasons?.includes('defines tween'), JSON.stringify(tween));
      assert.ok(pack.files.filter((f) => f.path.startsWith('src/m')).every((f) => !f.reasons?.length));
      // Its place and why the budget made it whole; every other file says why it is whole, outlined or left out.
      assert.equal(tween.rank, 1);
      assert.equal(tween.placement, 'whole first: the question or the editor points at it');
      const others = pack.files.filter((f) => f.path.startsWith('src/m'));
      assert.deepEqual(
        others.map((f) => f.rank).sort((a, b) => a! - b!),
        Array.from({ length: 12 }, (_, i) => i + 2),
      );
      for (const f of others)
        assert.match(
          `${f.status} ${f.placement}`,
          /^(included whole: ranked high enough|outline outline: no room left for it whole|excluded left out: no room)/,
        );
      assert.ok(
        others.some((f) => f.status !== 'included'),
        'the test needs a file not whole',
      );
    } finally {
      engine.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
