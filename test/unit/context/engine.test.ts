// The engine end to end on small trees: warm re-packs read only what changed, token counts persist
// by content hash, deltas list changed/added/removed files, redactions reach pack.redactions, worker
// threads give the same bytes as inline reading, and bad input is reported, never fatal.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ContextEngine, type ContextEngineOptions } from '../../../src/context/engine';
import type { Pack } from '../../../src/context/types';
import { tempDir, writeTree } from '../../helpers/tmp';

const BIG = 1_000_000;
const byPath = (pack: Pack) => new Map(pack.files.map((f) => [f.path, f]));

describe('ContextEngine', () => {
  let dir: string;
  let cache: string;
  const engines: ContextEngine[] = [];
  const engine = (opts: Partial<ContextEngineOptions> = {}) => {
    const e = new ContextEngine({
      roots: [{ name: 'proj', path: dir }],
      cacheDir: cache,
      workers: 0,
      gitEnv: { home: cache },
      ...opts,
    });
    engines.push(e);
    return e;
  };
  beforeEach(() => {
    dir = tempDir('dsr-engine-');
    cache = tempDir('dsr-cache-');
    writeTree(dir, {
      'src/a.ts': 'export const a = 1;\n',
      'src/b.ts': "import { a } from './a';\nexport const b = a + 1;\n",
      'README.md': '# Project\r\nWindows line endings\r\n',
      '.gitignore': 'out/\n',
      'out/x.js': 'built();\n',
    });
  });
  afterEach(() => {
    engines.splice(0).forEach((e) => e.dispose());
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(cache, { recursive: true, force: true });
  });

  it('packs every text file, normalises line endings and reports the ignored folder once', async () => {
    const pack = await engine().pack({ budgetTokens: BIG });
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
    const e = engine();
    const first = await e.pack({ budgetTokens: BIG });
    assert.equal(first.stats.readFiles, 4);
    // Age the files past the racy window so their stat can be trusted.
    const old = new Date(Date.now() - 60_000);
    for (const f of ['src/a.ts', 'src/b.ts', 'README.md', '.gitignore']) fs.utimesSync(path.join(dir, f), old, old);
    e.invalidate([dir]);
    await e.pack({ budgetTokens: BIG });
    const same = await e.pack({ budgetTokens: BIG });
    assert.equal(same.stats.readFiles, 0);
    assert.equal(same.stats.readBytes, 0);
    assert.equal(same.text, first.text);
    fs.writeFileSync(path.join(dir, 'src/a.ts'), 'export const a = 2;\n');
    const edited = await e.pack({ budgetTokens: BIG });
    assert.equal(edited.stats.readFiles, 1);
    assert.ok(edited.text.includes('export const a = 2;'));
  });

  it('invalidate() makes the next pack read a file even when its stat looks unchanged', async () => {
    const e = engine();
    await e.pack({ budgetTokens: BIG });
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(path.join(dir, 'src/a.ts'), old, old);
    await e.pack({ budgetTokens: BIG });
    assert.equal((await e.pack({ budgetTokens: BIG })).stats.readFiles, 3); // the other three are still racy-young
    e.invalidate([path.join(dir, 'src/a.ts')]);
    const again = await e.pack({ budgetTokens: BIG });
    assert.equal(again.stats.readFiles, 4);
  });

  it('watched mode: a warm pack re-stats known files instead of walking; unknown paths trigger a walk', async () => {
    const e = engine({ watched: true });
    await e.pack({ budgetTokens: BIG });
    fs.writeFileSync(path.join(dir, 'src/new.ts'), 'export const n = 1;\n');
    const unseen = await e.pack({ budgetTokens: BIG });
    assert.ok(!unseen.files.some((f) => f.path === 'src/new.ts'), 'no walk without an invalidate');
    e.invalidate([path.join(dir, 'src/new.ts')]);
    const seen = await e.pack({ budgetTokens: BIG });
    assert.equal(seen.files.find((f) => f.path === 'src/new.ts')?.status, 'included');
    fs.writeFileSync(path.join(dir, 'src/a.ts'), 'export const a = 42;\n');
    e.invalidate([path.join(dir, 'src/a.ts')]);
    assert.ok((await e.pack({ budgetTokens: BIG })).text.includes('export const a = 42;'));
    fs.rmSync(path.join(dir, 'src/b.ts'));
    e.invalidate([path.join(dir, 'src/b.ts')]);
    assert.ok(!(await e.pack({ budgetTokens: BIG })).files.some((f) => f.path === 'src/b.ts'));
    // An edit whose watcher event has not arrived yet is still caught: every known file is re-stated.
    fs.writeFileSync(path.join(dir, 'src/a.ts'), 'export const a = 7; // edited before the watcher said so\n');
    assert.ok((await e.pack({ budgetTokens: BIG })).text.includes('export const a = 7;'));
  });

  it('watched: an edit to a known .gitignore, .gitattributes or .deepseekignore counts in the next pack', async () => {
    const e = engine({ watched: true });
    fs.writeFileSync(path.join(dir, '.deepseekignore'), '# nothing yet\n');
    fs.writeFileSync(path.join(dir, '.gitattributes'), '# nothing yet\n');
    await e.pack({ budgetTokens: BIG });
    const edit = (rel: string, text: string) => {
      fs.writeFileSync(path.join(dir, rel), text);
      e.invalidate([path.join(dir, rel)]); // what the file watcher reports
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
    const first = await engine().pack({ budgetTokens: BIG });
    engines.splice(0).forEach((e) => e.dispose());
    assert.equal(first.stats.tokenCacheHits, 0);
    assert.ok(fs.readdirSync(cache).some((f) => /^tokens-[0-9a-f]{12}\.bin$/.test(f)));
    const second = await engine().pack({ budgetTokens: BIG });
    assert.equal(second.stats.tokenCacheHits, 4);
    assert.equal(second.text, first.text);
    assert.equal(second.tokens, first.tokens);
  });

  it('far over the budget, counts tokens only of the files a decision needs', async () => {
    for (let i = 0; i < 40; i++)
      writeTree(dir, { [`big/f${i}.ts`]: `export const v${i} = 1;\n` + `// ${'word '.repeat(12)}\n`.repeat(60) });
    const e = engine();
    const pack = await e.pack({ budgetTokens: 3000 });
    e.dispose();
    const counted = fs
      .readdirSync(cache)
      .filter((f) => f.startsWith('tokens-'))
      .map((f) => fs.statSync(path.join(cache, f)).size / 20)[0]!;
    assert.ok(pack.tokens <= 3000, `${pack.tokens}`);
    assert.ok(counted < 20, `counted ${counted} of 44 files`);
    const whole = pack.files.filter((f) => f.status === 'included');
    assert.ok(whole.length >= 1 && whole.every((f) => f.tokens > 0));
  });

  it('keeps no cache on disk without a cache dir', async () => {
    const e = new ContextEngine({ roots: [{ name: 'proj', path: dir }], workers: 0 });
    engines.push(e);
    await e.pack({ budgetTokens: BIG });
    e.dispose();
    assert.deepEqual(fs.readdirSync(cache), []);
  });

  it('updatesSince lists changed, added and removed files and renders only those', async () => {
    const e = engine();
    const base = await e.pack({ budgetTokens: BIG });
    const none = await e.updatesSince(base.manifest);
    assert.deepEqual([none.text, none.changed, none.added, none.removed], ['', [], [], []]);
    fs.writeFileSync(path.join(dir, 'src/a.ts'), 'export const a = 3;\n');
    fs.writeFileSync(path.join(dir, 'src/c.ts'), 'export const c = 3;\n');
    fs.rmSync(path.join(dir, 'src/b.ts'));
    const delta = await e.updatesSince(base.manifest);
    assert.deepEqual([delta.changed, delta.added, delta.removed], [['src/a.ts'], ['src/c.ts'], ['src/b.ts']]);
    assert.match(delta.text, /^<repository-update>\n/);
    assert.ok(delta.text.includes('<file path="src/a.ts">\nexport const a = 3;\n</file>'));
    assert.ok(delta.text.includes('<file path="src/c.ts">'));
    assert.ok(!delta.text.includes('README'));
    assert.match(delta.text, /Deleted or no longer included: src\/b\.ts/);
    assert.ok(delta.tokens > 0);
  });

  it('reports redactions as {path, line, rule} and keeps the secret out of the pack', async () => {
    // The markers are split so that this test file is not itself a private key to the secret scanner.
    const key = [
      '-----BEGIN RSA PRIVATE' + ' KEY-----',
      'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun',
      '-----END RSA PRIVATE KEY-----',
    ].join('\n');
    writeTree(dir, { 'src/deploy.ts': `// deploy\nconst k = \`\n${key}\n\`;\n` });
    const pack = await engine().pack({ budgetTokens: BIG });
    assert.ok(!pack.text.includes('MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun'));
    const r = pack.redactions.find((x) => x.path === 'src/deploy.ts');
    assert.ok(r, JSON.stringify(pack.redactions));
    assert.equal(r.line, 4, 'the line where the secret starts: the key body (BEGIN/END lines stay)');
    assert.equal(typeof r.rule, 'string');
    assert.deepEqual(Object.keys(r).sort(), ['line', 'path', 'rule']);
  });

  it('worker threads give byte-identical packs to inline reading', async () => {
    for (let i = 0; i < 40; i++) writeTree(dir, { [`gen/f${i}.ts`]: `export const v${i} = ${i};\n`.repeat(20) });
    const inline = await engine({ workers: 0 }).pack({ budgetTokens: BIG });
    const threaded = await engine({ workers: 2, workerThresholdBytes: 0 }).pack({ budgetTokens: BIG });
    assert.equal(threaded.stats.readFiles, inline.stats.readFiles);
    assert.equal(threaded.text, inline.text);
    assert.deepEqual(threaded.files, inline.files);
  });

  // …(workers started with the walk, stopped when not worth it)
  it('one-shot engines pack as inline reading does, within and far over the budget', async () => {
    for (let i = 0; i < 40; i++)
      writeTree(dir, {
        [`gen/f${i}.ts`]:
          `export class C${i} {\n  run(x: number): number {\n    return x;\n  ` +
          `}\n}\n${`const v${i} = ${i};\n`.repeat(20)}`,
      });
    for (const budgetTokens of [BIG, 3000]) {
      const inline = await engine({ workers: 0 }).pack({ budgetTokens });
      // Under the threshold: stopped after the walk.
      const small = await engine({ workers: 2, oneShot: true }).pack({ budgetTokens });
      const threaded = await engine({ workers: 2, oneShot: true, workerThresholdBytes: 0 }).pack({ budgetTokens });
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

  // …on worker threads too
  it("sends an editor's unsaved text instead of the disk, redacted, read again as it changes", async () => {
    const a = path.join(dir, 'src/a.ts');
    const secret = 'ghp_' + 'x7Kq9ZmP2vL4tR8wN3cY6bH1jF5dS0gA2eU9';
    const old = new Date(Date.now() - 60_000); // past the racy window: a stat can be trusted
    for (const f of ['src/a.ts', 'src/b.ts', 'README.md', '.gitignore']) fs.utimesSync(path.join(dir, f), old, old);
    for (const opts of [{ workers: 0 }, { workers: 2, workerThresholdBytes: 0 }]) {
      const e = engine({ ...opts, watched: true });
      e.setUnsaved(new Map([[a, `export const a = 2; // unsaved\r\nconst token = '${secret}';\n`]]));
      let pack = await e.pack({ budgetTokens: BIG });
      let files = byPath(pack);
      assert.ok(
        pack.text.includes('<file path="src/a.ts">\nexport const a = 2; // unsaved\n'),
        'the unsaved text, line endings normalised',
      );
      assert.ok(!pack.text.includes('export const a = 1;'), 'not the file on disk');
      assert.ok(!pack.text.includes(secret), 'unsaved text is scanned for secrets like any other');
      assert.deepEqual(
        pack.redactions.map((r) => [r.path, r.line]),
        [['src/a.ts', 2]],
      );
      assert.equal(files.get('src/a.ts')!.unsaved, true);
      assert.equal(files.get('src/b.ts')!.unsaved, undefined);
      const base = pack.manifest;
      // The editor text changes: the next pack reads it again (the disk did not change, nothing was invalidated).
      e.setUnsaved(new Map([[a, 'export const a = 3; // typed on\n']]));
      const delta = await e.updatesSince(base);
      assert.deepEqual(delta.changed, ['src/a.ts']);
      assert.ok(delta.text.includes('export const a = 3; // typed on'));
      // Saved or reverted: the disk again, and only that file is read.
      e.setUnsaved(new Map());
      pack = await e.pack({ budgetTokens: BIG });
      files = byPath(pack);
      assert.ok(pack.text.includes('<file path="src/a.ts">\nexport const a = 1;\n</file>'));
      assert.equal(files.get('src/a.ts')!.unsaved, undefined);
      assert.equal(pack.stats.readFiles, 1);
    }
  });

  it('holds unsaved text to the size limit (the walk saw the disk file), unless an include matches', async () => {
    const a = path.join(dir, 'src/a.ts');
    const big = `export const a = '${'x'.repeat(200)}';\n`;
    for (const opts of [{ workers: 0 }, { workers: 2, workerThresholdBytes: 0 }]) {
      const e = engine({ ...opts, watched: true, settings: { maxFileBytes: 100 } });
      e.setUnsaved(new Map([[a, big]]));
      let file = byPath(await e.pack({ budgetTokens: BIG })).get('src/a.ts')!;
      assert.deepEqual(
        [file.status, file.reason, file.detail],
        ['excluded', 'too-large', `${Buffer.byteLength(big)} bytes (unsaved) > 100`],
      );
      e.setSettings({ maxFileBytes: 1000 }); // a larger limit: the same unsaved text goes in
      file = byPath(await e.pack({ budgetTokens: BIG })).get('src/a.ts')!;
      assert.equal(file.status, 'included');
      e.setSettings({ maxFileBytes: 100, include: ['src/a.ts'] });
      const pack = await e.pack({ budgetTokens: BIG });
      assert.equal(byPath(pack).get('src/a.ts')!.status, 'included');
      assert.ok(pack.text.includes(big));
    }
  });

  it('unsaved text does not bring in a file the walk leaves out, nor one that is not on disk', async () => {
    const e = engine();
    e.setUnsaved(
      new Map([
        [path.join(dir, 'out/x.js'), 'ignored();\n'],
        [path.join(dir, 'src/new.ts'), 'export const never = 1;\n'],
      ]),
    );
    const pack = await e.pack({ budgetTokens: BIG });
    assert.ok(!pack.text.includes('ignored();') && !pack.text.includes('never'));
    assert.deepEqual(
      pack.files.filter((f) => f.unsaved),
      [],
    );
  });

  it('labels files with their folder in a multi-root pack', async () => {
    const other = tempDir('dsr-engine2-');
    writeTree(other, { 'lib.py': 'def f():\n    return 1\n' });
    try {
      const pack = await engine({
        roots: [
          { name: 'web', path: dir },
          { name: 'api', path: other },
        ],
      }).pack({ budgetTokens: BIG });
      const paths = pack.files.map((f) => f.path);
      assert.ok(paths.includes('api/lib.py') && paths.includes('web/src/a.ts') && paths.includes('web/out/'));
      assert.match(pack.text, /Workspace folders: web, api\./);
      assert.ok(pack.text.includes('<file path="api/lib.py">'));
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });

  it('includes beat ignore rules and default exclusions; excludes and .deepseekignore remove files', async () => {
    writeTree(dir, {
      'yarn.lock': 'lock\n',
      'docs/guide.md': 'guide\n',
      'docs/draft.md': 'draft\n',
      '.deepseekignore': 'docs/\n!docs/guide.md\n',
    });
    const e = engine({ settings: { include: ['out/', 'yarn.lock'], exclude: ['src/b.ts'] } });
    const files = byPath(await e.pack({ budgetTokens: BIG }));
    assert.equal(files.get('out/x.js')?.status, 'included');
    assert.equal(files.get('yarn.lock')?.status, 'included');
    assert.deepEqual([files.get('src/b.ts')?.status, files.get('src/b.ts')?.reason], ['excluded', 'setting']);
    assert.deepEqual([files.get('docs/')?.status, files.get('docs/')?.reason], ['excluded', 'deepseekignore']);
    e.setSettings({});
    const plain = byPath(await e.pack({ budgetTokens: BIG }));
    assert.equal(plain.get('yarn.lock')?.reason, 'lockfile');
    assert.equal(plain.get('src/b.ts')?.status, 'included');
  });

  it('a .deepseekignore negation re-includes a folder git ignores', async () => {
    writeTree(dir, { '.deepseekignore': '!out/\n' });
    const files = byPath(await engine().pack({ budgetTokens: BIG }));
    assert.equal(files.get('out/x.js')?.status, 'included');
  });

  it('obeys an aborted signal', async () => {
    const ac = new AbortController();
    ac.abort(new Error('stop'));
    await assert.rejects(engine().pack({ budgetTokens: BIG }, ac.signal), /stop/);
  });
});
