// `deepseek-repo mcp` (the built CLI) given lines a client should not send, by a bare JSON-RPC client: each
// is answered with the JSON-RPC 2.0 error for it (a line that is not JSON, JSON that is not a JSON-RPC
// request, a line over the length limit, a tools/call whose params the spec's schema rejects), with the
// request's id when it can be read, and the server answers the next request as usual. Bad values inside
// a tool's arguments are a tool error on one short line.
import * as assert from 'node:assert/strict';
import { MAX_LINE_BYTES } from '../../../src/mcp/stdioTransport';
import { mcpProject, startBare, type BareServer, type Reply } from './serverKit';

/** A reply as the tests compare it: an error's id and code, a result's id, or `served` for the tools/list. */
const shown = (r: Reply) =>
  typeof r.id === 'string' && r.id.startsWith('list-') && r.result?.tools?.length === 3
    ? 'served'
    : r.error
      ? { id: r.id, code: r.error.code }
      : { id: r.id, result: r.result };

const call = (id: number | string, params: unknown) =>
  JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params });

describe('MCP server: input that is not a message it can serve', function () {
  const mcp = mcpProject();
  let bare: BareServer;
  beforeEach(async () => (bare = await startBare(['--dir', mcp.repo], mcp.env)));
  afterEach(async () => bare.close());

  /** Sends `line`; asserts the error it got (id, code, message) and that the next request was served. */
  const answered = async (line: string, id: string | number | null, code: number, message: RegExp) => {
    const replies = await bare.exchange(line);
    assert.deepEqual(replies.map(shown), [{ id, code }, 'served'], line.slice(0, 80));
    const text = replies[0]?.error?.message ?? '';
    assert.match(text, message);
    assert.ok(!text.includes('\n') && text.length < 300, `one short line: ${text}`);
  };

  it('answers a line that is not JSON with a Parse error, id null', async () => {
    await answered('this is not JSON', null, -32700, /^Parse error: /);
    await answered('{"jsonrpc":"2.0","id":7,"method":', null, -32700, /^Parse error: /);
  });

  it('answers JSON that is not a JSON-RPC request with Invalid Request, with its id when it has one', async () => {
    await answered(
      '{"id":8,"method":"tools/list"}',
      8,
      -32600,
      /^Invalid Request: expected "jsonrpc": "2.0", got nothing$/,
    );
    await answered('{"hello":"world"}', null, -32600, /^Invalid Request: /);
    await answered('42', null, -32600, /^Invalid Request: expected a JSON-RPC message \(an object\), got 42$/);
    await answered('[{"jsonrpc":"2.0","id":9,"method":"tools/list"}]', null, -32600, /a batch/);
    await answered('{"jsonrpc":"2.0","id":"s","method":7}', 's', -32600, /expected "method" to be a string, got 7/);
    await answered('{"jsonrpc":"2.0","id":10,"method":"ping","colour":1}', 10, -32600, /unknown member: colour/);
  });

  it('answers nothing to an empty line or a malformed response (no response is answered)', async () => {
    assert.deepEqual((await bare.exchange('')).map(shown), ['served']);
    assert.deepEqual((await bare.exchange('{"jsonrpc":"2.0","id":3,"result":5}')).map(shown), ['served']);
  });

  it('answers a tools/call whose params the spec rejects with Invalid params, not Internal error', async () => {
    await answered(
      call(11, { name: 'pack_repository', arguments: '{"budget":5}' }),
      11,
      -32602,
      /^Invalid params for tools\/call: expected an object, got "\{\\"budget\\":5\}" at params\.arguments$/,
    );
    await answered(
      call(12, { name: 'list_context', arguments: 5 }),
      12,
      -32602,
      /expected an object, got 5 at params\.arguments/,
    );
    await answered(call(13, { arguments: {} }), 13, -32602, /expected a string, got nothing at params\.name/);
    // A spec method the server does not serve is Method not found, whatever its params.
    const resources = '{"jsonrpc":"2.0","id":14,"method":"resources/list","params":{"cursor":5}}';
    await answered(resources, 14, -32601, /^Method not found$/);
  });

  it('answers a line over the limit without reading it, with the id from either end, and reads on', async () => {
    const over = 'x'.repeat(MAX_LINE_BYTES);
    // The SDK's client writes the id last; others first; a notification has none.
    const sdkShaped = JSON.stringify({
      method: 'tools/call',
      params: { name: 'ask_repository', arguments: { question: over } },
      jsonrpc: '2.0',
      id: 21,
    });
    const limit =
      /^Invalid Request: a message of \d+ bytes \(10 MiB\), over the 10485760-byte limit \(10 MiB\); it was not read$/;
    await answered(sdkShaped, 21, -32600, limit);
    await answered(
      JSON.stringify({ jsonrpc: '2.0', method: 'notifications/x', params: { over } }),
      null,
      -32600,
      limit,
    );
    // A line of exactly the limit is read and served; one byte more is not, and its id (written first) is found.
    const ping = (pad: string) =>
      JSON.stringify({ jsonrpc: '2.0', id: 'ping', method: 'ping', params: { _meta: { pad } } });
    const atLimit = ping('p'.repeat(MAX_LINE_BYTES - Buffer.byteLength(ping(''))));
    assert.equal(Buffer.byteLength(atLimit), MAX_LINE_BYTES);
    assert.deepEqual((await bare.exchange(atLimit, 'ping')).map(shown), [{ id: 'ping', result: {} }, 'served']);
    await answered(ping('p'.repeat(MAX_LINE_BYTES)), 'ping', -32600, limit);
  });

  it('answers bad values inside the arguments with a tool error on one short line', async () => {
    const deep = '['.repeat(1_000_000) + ']'.repeat(1_000_000);
    const cases: [string, RegExp][] = [
      [
        // Written by hand: JSON.stringify would overflow the stack on it.
        call(31, { name: 'pack_repository', arguments: { budget: 'DEEP' } }).replace('"DEEP"', deep),
        /got a list at budget$/,
      ],
      [
        call(31, { name: 'pack_repository', arguments: { budget: 'x'.repeat(1_000_000) } }),
        /got "x{40}"… \(1000000 characters\) at budget$/,
      ],
      [call(31, { name: 'list_context', arguments: { budget: { n: 5 } } }), /got an object at budget$/],
    ];
    for (const [line, message] of cases) {
      const replies = await bare.exchange(line, 31);
      const result = replies.find((r) => r.id === 31)?.result;
      assert.equal(result?.isError, true, line.slice(0, 80));
      const text = result.content?.[0]?.text ?? '';
      assert.match(text, message);
      assert.ok(text.length < 300, `one short line: ${text.length} characters`);
      assert.ok(replies.some((r) => shown(r) === 'served'));
    }
  });
});
