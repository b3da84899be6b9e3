// The request body's JSON text is byte for byte what JSON.stringify makes, long texts remembered
// or not, whatever characters they hold; fetch reads it in one chunk, as often as it asks (a redirect).
import * as assert from 'node:assert/strict';
import { jsonBody as jsonBytes } from '../../../src/llm/jsonBody';

const jsonBody = (body: object) => jsonBytes(body).text();

describe('request body JSON', () => {
  it(
    'equals JSON.stringify for bodies with long and short texts, escapes, unicode, ' + 'nested fields and undefined',
    async () => {
      const long = `quote " backslash \\ newline \n tab \t nul \u0000 emoji 😀 lone \ud800 end\n`.repeat(2000);
      const body = {
        model: 'deepseek-v4-pro',
        messages: [
          { role: 'system', content: 'sys' },
          { role: 'user', content: long },
          {
            role: 'assistant',
            content: '',
            reasoning_content: 'r',
            tool_calls: [{ id: 'a', type: 'function', function: { name: 'x', arguments: '{"a":1}' } }],
          },
          { role: 'tool', content: long.slice(7), tool_call_id: 'a' },
          { role: 'assistant', content: 'x', reasoning_content: undefined },
        ],
        max_tokens: 10,
        stream: true,
        skipped: undefined,
        thinking: { type: 'enabled' },
        tools: [{ type: 'function', function: { name: 'x', description: 'd', parameters: { type: 'object' } } }],
      };
      assert.equal(await jsonBody(body), JSON.stringify(body));
      assert.equal(await jsonBody(body), JSON.stringify(body), 'the second time, from remembered texts, too');
      const changed = { ...body, messages: [...body.messages.slice(0, 1), { role: 'user', content: `${long}more` }] };
      assert.equal(await jsonBody(changed), JSON.stringify(changed));
    },
  );

  it('streams the whole body as one chunk, and again from the start each time it is read', async () => {
    const body = { model: 'm', messages: [{ role: 'user', content: 'é'.repeat(200_000) }] };
    const blob = jsonBytes(body);
    const expected = Buffer.from(JSON.stringify(body));
    assert.equal(blob.size, expected.length);
    for (const time of ['first', 'second']) {
      const chunks: Uint8Array[] = [];
      for await (const c of blob.stream() as AsyncIterable<Uint8Array>) chunks.push(c);
      assert.equal(chunks.length, 1, `${time} read: one chunk`);
      assert.ok(Buffer.from(chunks[0]!).equals(expected), `${time} read: the JSON bytes`);
    }
    assert.ok(Buffer.from(await blob.arrayBuffer()).equals(expected), 'read as a Blob too');
  });
});
