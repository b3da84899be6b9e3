// The plan store on disk: state saved and loaded (a damaged file starts afresh), blobs under a size cap.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FilePlanStore } from '../../../src/chat/planStore';

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

  it('keeps state and blobs in memory when its folder cannot be written: a question never fails for the plan', () => {
    fs.writeFileSync(path.join(dir, 'file'), 'not a folder');
    const store = new FilePlanStore(path.join(dir, 'file', 'cache-plan')); // ENOTDIR even for root
    assert.doesNotThrow(() => store.saveState({ v: 1 }));
    assert.doesNotThrow(() => store.putBlob('pack', 'the repository'));
    assert.deepEqual([store.loadState(), store.getBlob('pack')], [{ v: 1 }, 'the repository']);
    assert.deepEqual(fs.readdirSync(dir), ['file']);
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
