// The engine end to end on small trees: warm re-packs read only what changed, token counts persist by
// content hash, deltas list changed/added/removed files, worker threads give the same bytes as inline
// reading, and an aborted signal stops a pack.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ContextEngine } from '../../../src/context/engine';
import { writeTree } from '../../helpers/tmp';
import { BIG, byPath, smallProject } from './engineKit';

describe('ContextEngine', () => {
  const project = smallProject();

  it('packs every text file, normalises line endings and reports the ignored folder once', async () => {
    const pack = await project.engine().pack({ budgetTokens: BIG });
    const files = byPath(pack);
    assert.deepEqual([...files.keys()], ['.gitignore', 'README.md', 'out/', 'src/a.ts', 'src/b.ts']);
    assert.equal(files.get('out/')!.reason, 'gitignore');
    assert.match(files.get('out/')!.detail!, /\.gitignore:1: out\//);
    assert.ok(pack.text.includes('<file path="README.md">\n# Project\nWindows line endings\n</file>\n'));
    assert.ok(!pack.text.includes('\r'));
    assert.ok(pack.tokens > pack.files.reduce((n, f) => n + f.tokens, 0), 'the header counts too');
    assert.ok(
      pack.files.filter((f) => f.status === 'included').every((f) => f.tokens > 0 && /^[0-9a-f]{64}$/.test(f.hash!)),
    );
  });

  it('a warm re-pack reads only the edited file and gives the same bytes when nothing changed', async () => {
    const e = project.engine();
    const first = await e.pack({ budgetTokens: BIG });
    assert.equal(first.stats.readFiles, 4);
    // Age the files past the racy window so their stat can be trusted.
    const old = new Date(Date.now() - 60_000);
    for (const f of ['src/a.ts', 'src/b.ts', 'README.md', '.gitignore'])
      fs.utimesSync(path.join(project.dir, f), old, old);
    e.invalidate([project.dir]);
    await e.pack({ budgetTokens: BIG });
    const same = await e.pack({ budgetTokens: BIG });
    assert.equal(same.stats.readFiles, 0);
    assert.equal(same.stats.readBytes, 0);
    assert.equal(same.text, first.text);
    fs.writeFileSync(path.join(project.dir, 'src/a.ts'), 'export const a = 2;\n');
    const edited = await e.pack({ budgetTokens: BIG });
    assert.equal(edited.stats.readFiles, 1);
    assert.ok(edited.text.includes('export const a = 2;'));
  });

  it('invalidate() makes the next pack read a file even when its stat looks unchanged', async () => {
    const e = project.engine();
    await e.pack({ budgetTokens: BIG });
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(path.join(project.dir, 'src/a.ts'), old, old);
    await e.pack({ budgetTokens: BIG });
    assert.equal((await e.pack({ budgetTokens: BIG })).stats.readFiles, 3); // the other three are still racy-young
    e.invalidate([path.join(project.dir, 'src/a.ts')]);
    const again = await e.pack({ budgetTokens: BIG });
    assert.equal(again.stats.readFiles, 4);
  });

  it('watched mode: a warm pack re-stats known files instead of walking; unknown paths trigger a walk', async () => {
    const e = project.engine({ watched: true });
    await e.pack({ budgetTokens: BIG });
    fs.writeFileSync(path.join(project.dir, 'src/new.ts'), 'export const n = 1;\n');
    const unseen = await e.pack({ budgetTokens: BIG });
    assert.ok(!unseen.files.some((f) => f.path === 'src/new.ts'), 'no walk without an invalidate');
    e.invalidate([path.join(project.dir, 'src/new.ts')]);
    const seen = await e.pack({ budgetTokens: BIG });
    assert.equal(seen.files.find((f) => f.path === 'src/new.ts')?.status, 'included');
    fs.writeFileSync(path.join(project.dir, 'src/a.ts'), 'export const a = 42;\n');
    e.invalidate([path.join(project.dir, 'src/a.ts')]);
    assert.ok((await e.pack({ budgetTokens: BIG })).text.includes('export const a = 42;'));
    fs.rmSync(path.join(project.dir, 'src/b.ts'));
    e.invalidate([path.join(project.dir, 'src/b.ts')]);
    assert.ok(!(await e.pack({ budgetTokens: BIG })).files.some((f) => f.path === 'src/b.ts'));
    // An edit whose watcher event has not arrived yet is still caught: every known file is re-stated.
    fs.writeFileSync(path.join(project.dir, 'src/a.ts'), 'export const a = 7; // edited before the watcher said so\n');
    assert.ok((await e.pack({ budgetTokens: BIG })).text.includes('export const a = 7;'));
  });

  it('watched: an edit to a known .gitignore, .gitattributes or .deepseekignore counts in the next pack', async () => {
    const e = project.engine({ watched: true });
    fs.writeFileSync(path.join(project.dir, '.deepseekignore'), '# nothing yet\n');
    fs.writeFileSync(path.join(project.dir, '.gitattributes'), '# nothing yet\n');
    await e.pack({ budgetTokens: BIG });
    const edit = (rel: string, text: string) => {
      fs.writeFileSync(path.join(project.dir, rel), text);
      e.invalidate([path.join(project.dir, rel)]); // what the file watcher reports
    };
    edit('.deepseekignore', '/src/b.ts\n');
    assert.equal(byPath(await e.pack({ budgetTokens: BIG })).get('src/b.ts')?.reason, 'deepseekignore');
    edit('.deepseekignore', '!/src/b.ts\n');
    assert.equal(byPath(await e.pack({ budgetTokens: BIG })).get('src/b.ts')?.status, 'included');
    edit('.gitignore', 'out/\nREADME.md\n');
    assert.equal(byPath(await e.pack({ budgetTokens: BIG })).get('README.md')?.reason, 'gitignore');
    edit('.gitignore', 'out/\n');
    assert.equal(byPath(await e.pack({ budgetTokens: BIG })).get('README.md')?.status, 'included');
    edit('.gitattributes', 'src/a.ts linguist-generated\n');
    assert.equal(byPath(await e.pack({ budgetTokens: BIG })).get('src/a.ts')?.reason, 'generated');
    edit('.gitattributes', '# nothing again\n');
    assert.equal(byPath(await e.pack({ budgetTokens: BIG })).get('src/a.ts')?.status, 'included');
  });

  it('persists token counts by content hash between engines', async () => {
    const first = await project.engine().pack({ budgetTokens: BIG });
    project.engines.splice(0).forEach((e) => e.dispose());
    assert.equal(first.stats.tokenCacheHits, 0);
    assert.ok(fs.readdirSync(project.cache).some((f) => /^tokens-[0-9a-f]{12}\.bin$/.test(f)));
    const second = await project.engine().pack({ budgetTokens: BIG });
    assert.equal(second.stats.tokenCacheHits, 4);
    assert.equal(second.text, first.text);
    assert.equal(second.tokens, first.tokens);
  });

  it('persists new counts after the pack that made them, at the latest on dispose, not within the pack', async () => {
    const e = project.engine();
    const pack = await e.pack({ budgetTokens: BIG });
    const cacheFiles = () => fs.readdirSync(project.cache).filter((f) => f.startsWith('tokens-'));
    assert.ok(pack.tokens > 0);
    assert.deepEqual(cacheFiles(), [], 'a pack does not rewrite the cache file (a warm re-pack after each edit would)');
    e.dispose();
    assert.equal(cacheFiles().length, 1);
    assert.equal((await project.engine().pack({ budgetTokens: BIG })).stats.tokenCacheHits, 4);
  });

  it('far over the budget, counts tokens only of the files a decision needs', async () => {
    for (let i = 0; i < 40; i++)
      writeTree(project.dir, {
        [`big/f${i}.ts`]: `export const v${i} = 1;\n` + `// ${'word '.repeat(12)}\n`.repeat(60),
      });
    const e = project.engine();
    const pack = await e.pack({ budgetTokens: 3000 });
    e.dispose();
    const counted = fs
      .readdirSync(project.cache)
      .filter((f) => f.startsWith('tokens-'))
      .map((f) => fs.statSync(path.join(project.cache, f)).size / 20)[0]!;
    assert.ok(pack.tokens <= 3000, `${pack.tokens}`);
    assert.ok(counted < 20, `counted ${counted} of 44 files`);
    const whole = pack.files.filter((f) => f.status === 'included');
    assert.ok(whole.length >= 1 && whole.every((f) => f.tokens > 0));
  });

  it('keeps no cache on disk without a cache dir', async () => {
    const e = new ContextEngine({ roots: [{ name: 'proj', path: project.dir }], workers: 0 });
    project.engines.push(e);
    await e.pack({ budgetTokens: BIG });
    e.dispose();
    assert.deepEqual(fs.readdirSync(project.cache), []);
  });

  it('updatesSince lists changed, added and removed files and renders only those', async () => {
    const e = project.engine();
    const base = await e.pack({ budgetTokens: BIG });
    const none = await e.updatesSince(base.manifest);
    assert.deepEqual([none.text, none.changed, none.added, none.removed], ['', [], [], []]);
    fs.writeFileSync(path.join(project.dir, 'src/a.ts'), 'export const a = 3;\n');
    fs.writeFileSync(path.join(project.dir, 'src/c.ts'), 'export const c = 3;\n');
    fs.rmSync(path.join(project.dir, 'src/b.ts'));
    const delta = await e.updatesSince(base.manifest);
    assert.deepEqual([delta.changed, delta.added, delta.removed], [['src/a.ts'], ['src/c.ts'], ['src/b.ts']]);
    assert.match(delta.text, /^<repository-update>\n/);
    assert.ok(delta.text.includes('<file path="src/a.ts">\nexport const a = 3;\n</file>'));
    assert.ok(delta.text.includes('<file path="src/c.ts">'));
    assert.ok(!delta.text.includes('README'));
    assert.match(delta.text, /Deleted or no longer included: src\/b\.ts/);
    assert.ok(delta.tokens > 0);
  });

  it('worker threads give byte-identical packs to inline reading', async () => {
    for (let i = 0; i < 40; i++)
      writeTree(project.dir, { [`gen/f${i}.ts`]: `export const v${i} = ${i};\n`.repeat(20) });
    const inline = await project.engine({ workers: 0 }).pack({ budgetTokens: BIG });
    const threaded = await project.engine({ workers: 2, workerThresholdBytes: 0 }).pack({ budgetTokens: BIG });
    assert.equal(threaded.stats.readFiles, inline.stats.readFiles);
    assert.equal(threaded.text, inline.text);
    assert.deepEqual(threaded.files, inline.files);
  });

  // …(workers started with the walk, stopped when not worth it)
  it('one-shot engines pack as inline reading does, within and far over the budget', async () => {
    for (let i = 0; i < 40; i++)
      writeTree(project.dir, {
        [`gen/f${i}.ts`]:
          `export class C${i} {\n  run(x: number): number {\n    return x;\n  ` +
          `}\n}\n${`const v${i} = ${i};\n`.repeat(20)}`,
      });
    for (const budgetTokens of [BIG, 3000]) {
      const inline = await project.engine({ workers: 0 }).pack({ budgetTokens });
      // Under the threshold: stopped after the walk.
      const small = await project.engine({ workers: 2, oneShot: true }).pack({ budgetTokens });
      const threaded = await project
        .engine({ workers: 2, oneShot: true, workerThresholdBytes: 0 })
        .pack({ budgetTokens });
      if (budgetTokens < BIG)
        assert.ok(
          inline.files.some((f) => f.status === 'outline') && inline.files.some((f) => f.status === 'included'),
        );
      for (const p of [small, threaded]) {
        assert.equal(p.text, inline.text);
        assert.deepEqual(p.files, inline.files);
      }
    }
  });

  it('obeys an aborted signal', async () => {
    const ac = new AbortController();
    ac.abort(new Error('stop'));
    await assert.rejects(project.engine().pack({ budgetTokens: BIG }, ac.signal), /stop/);
  });
});
