// Where a question's images sit in the request a fake DeepSeek received: the host and UI suites both check
// that an image goes in the question's own message, after the repository block, and nowhere before it.
import * as assert from 'node:assert/strict';
import { imageUrlsOf, textOf } from '../../fake-server/vision';

/** Fails unless no message before the last carries an image and one of them carries the repository (`main.ts`). */
export function assertImagesOnlyInTheQuestion(messages: readonly { content?: unknown }[]): void {
  const before = messages.slice(0, -1);
  assert.ok(
    before.every((m) => imageUrlsOf(m.content).length === 0),
    'an image went before the question',
  );
  assert.ok(
    before.some((m) => textOf(m.content).includes('main.ts')),
    'the repository block is not before the question',
  );
}
