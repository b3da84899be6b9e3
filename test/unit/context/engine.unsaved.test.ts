// The engine and an editor's unsaved text: sent instead of the disk, redacted, held to the size limit,
// and never a way in for a file the walk leaves out.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BIG, byPath, smallProject } from './engineKit';

describe('ContextEngine', () => {
  const project = smallProject();

  // …on worker threads too
  it("sends an editor's unsaved text instead of the disk, redacted, read again as it changes", async () => {
    const a = path.join(project.dir, 'src/a.ts');
    const secret = 'ghp_' + 'x7Kq9ZmP2vL4tR8wN3cY6bH1jF5dS0gA2eU9';
    const old = new Date(Date.now() - 60_000); // past the racy window: a stat can be trusted
    for (const f of ['src/a.ts', 'src/b.ts', 'README.md', '.gitignore'])
      fs.utimesSync(path.join(project.dir, f), old, old);
    for (const opts of [{ workers: 0 }, { workers: 2, workerThresholdBytes: 0 }]) {
      const e = project.engine({ ...opts, watched: true });
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
    const a = path.join(project.dir, 'src/a.ts');
    const big = `export const a = '${'x'.repeat(200)}';\n`;
    for (const opts of [{ workers: 0 }, { workers: 2, workerThresholdBytes: 0 }]) {
      const e = project.engine({ ...opts, watched: true, settings: { maxFileBytes: 100 } });
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
    const e = project.engine();
    e.setUnsaved(
      new Map([
        [path.join(project.dir, 'out/x.js'), 'ignored();\n'],
        [path.join(project.dir, 'src/new.ts'), 'export const never = 1;\n'],
      ]),
    );
    const pack = await e.pack({ budgetTokens: BIG });
    assert.ok(!pack.text.includes('ignored();') && !pack.text.includes('never'));
    assert.deepEqual(
      pack.files.filter((f) => f.unsaved),
      [],
    );
  });
});
