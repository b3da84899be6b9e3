// TextKeepingStdioTransport writes exactly the bytes the SDK's own serialisation gives (JSON.stringify
// of the message and a newline) for every message: a long text sent again (from the kept bytes), a new
// long text, one that holds the placeholder the transport splits on, short texts, and other messages.
import * as assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { KEEP_TEXT_CHARS, TextKeepingStdioTransport } from '../../../src/mcp/stdioTransport';

const result = (id: number, ...texts: string[]): JSONRPCMessage => ({
  jsonrpc: '2.0',
  id,
  result: { content: texts.map((text) => ({ type: 'text', text })) },
});

describe('TextKeepingStdioTransport', () => {
  it("writes each message as the SDK's serialisation does, byte for byte", async () => {
    const output = new PassThrough();
    const chunks: Buffer[] = [];
    output.on('data', (c: Buffer) => chunks.push(c));
    const transport = new TextKeepingStdioTransport(new PassThrough(), output);
    const line = 'const s = "quoted \\\\ \u00e9\u{1F600}\\t";\n';
    const long = `<file path="a.ts">\n${line.repeat(KEEP_TEXT_CHARS / 20)}</file>\n`;
    const messages: JSONRPCMessage[] = [
      result(1, long),
      result(2, long),
      result(3, long + 'changed'),
      result(4, long),
      result(5, long + '\u0000deepseek-repo-text-slot\u0000'),
      result(6, 'short'),
      result(7, long, long),
      { jsonrpc: '2.0', id: 8, error: { code: -32602, message: 'bad' } },
      { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 1, progress: 1, message: long } },
    ];
    for (const m of messages) {
      chunks.length = 0;
      await transport.send(m);
      assert.equal(
        Buffer.concat(chunks).toString('utf8'),
        JSON.stringify(m) + '\n',
        `message ${JSON.stringify(m).slice(0, 40)}`,
      );
    }
  });
});
