// BoundedLineReader: lines split anywhere across chunks (inside a UTF-8 character too) come out whole;
// a line at the limit is read, one byte over it is dropped as it streams in (the reader holds no more
// than its two kept ends) and reported with its length, and the next line is read as usual.
import * as assert from 'node:assert/strict';
import { BoundedLineReader, KEPT_END_BYTES } from '../../../src/mcp/lineReader';

type Event = string | { head: string; tail: string; bytes: number };

function reader(max: number) {
  const events: Event[] = [];
  const r = new BoundedLineReader(max, {
    line: (text) => events.push(text),
    tooLong: (head, tail, bytes) => events.push({ head, tail, bytes }),
  });
  return { r, events };
}

describe('BoundedLineReader', () => {
  it('reads lines split at every byte, carriage returns dropped, several in one chunk', () => {
    const input = Buffer.from('{"a":"é😀"}\r\n\nsecond\nthird\n{"unfinished"');
    for (let cut = 0; cut <= input.length; cut++) {
      const { r, events } = reader(1000);
      r.push(input.subarray(0, cut));
      r.push(input.subarray(cut));
      assert.deepEqual(events, ['{"a":"é😀"}', '', 'second', 'third'], `cut at ${cut}`);
    }
  });

  it('reads a line at the limit whole, and drops a longer one without holding it', () => {
    const max = 4 * KEPT_END_BYTES;
    const { r, events } = reader(max);
    const atLimit = 'a'.repeat(max);
    r.push(Buffer.from(atLimit + '\n'));
    assert.deepEqual(events, [atLimit]);

    events.length = 0;
    const head = '{"id":1,' + 'h'.repeat(KEPT_END_BYTES);
    const tail = 't'.repeat(KEPT_END_BYTES) + ',"id":2}';
    const middle = Buffer.alloc(1000, 'm');
    r.push(Buffer.from(head));
    let held = 0;
    for (let i = 0; i < 1000; i++) {
      r.push(middle);
      if (i >= 3) held = Math.max(held, r.heldBytes); // the line is over the limit from the fourth chunk
    }
    r.push(Buffer.from(tail + '\nnext\n'));
    const bytes = head.length + 1000 * 1000 + tail.length;
    assert.deepEqual(events, [
      { head: head.slice(0, KEPT_END_BYTES), tail: tail.slice(-KEPT_END_BYTES), bytes },
      'next',
    ]);
    assert.ok(held <= 2 * KEPT_END_BYTES, `held ${held} bytes of a ${bytes}-byte line once over the limit`);
    assert.equal(r.heldBytes, 0);
  });

  it('drops a line one byte over the limit, whether it comes in one chunk or many', () => {
    const max = 100;
    const line = 'x'.repeat(max + 1);
    for (const chunks of [[line + '\nok\n'], [...line, '\n', 'ok\n']]) {
      const { r, events } = reader(max);
      for (const c of chunks) r.push(Buffer.from(c));
      assert.deepEqual(events, [{ head: line, tail: line, bytes: max + 1 }, 'ok']);
    }
  });
});
