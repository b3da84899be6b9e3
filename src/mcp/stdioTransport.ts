// The SDK's stdio transport, with one change: a result whose text is the one it sent last (a repeated
// pack_repository call answered from the warm pack) is written from that text's JSON bytes, kept from
// the first time, instead of escaping and encoding megabytes again. The bytes are the same as the SDK's
// own serialisation (JSON.stringify of the message and a newline); every other message is the SDK's.
import type { Readable, Writable } from 'node:stream';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/** Texts shorter than this (characters) are serialised as the SDK does: keeping them would save nothing. */
export const KEEP_TEXT_CHARS = 64 * 1024;

/** Stands for the text while the rest of the message is serialised; no JSON-RPC message holds it. */
const SLOT = '\u0000deepseek-repo-text-slot\u0000';

export class TextKeepingStdioTransport extends StdioServerTransport {
  private kept: { text: string; json: Buffer } | undefined;
  /** Called with each message once it is written. */
  onsent?: (message: JSONRPCMessage) => void;

  constructor(
    input: Readable,
    private readonly out: Writable,
  ) {
    super(input, out);
  }

  override async send(message: JSONRPCMessage): Promise<void> {
    await this.write(message);
    this.onsent?.(message);
  }

  private write(message: JSONRPCMessage): Promise<void> {
    const text = longTextOf(message);
    if (text === undefined) return super.send(message);
    const [head, tail, ...more] = JSON.stringify(withText(message, SLOT)).split(JSON.stringify(SLOT));
    if (head === undefined || tail === undefined || more.length) return super.send(message);
    if (this.kept?.text !== text) this.kept = { text, json: Buffer.from(JSON.stringify(text)) };
    const { json } = this.kept;
    return new Promise((resolve) => {
      this.out.write(head);
      this.out.write(json);
      if (this.out.write(tail + '\n')) resolve();
      else this.out.once('drain', () => resolve());
    });
  }
}

/** The text of a tool result whose only content is one long text. */
function longTextOf(message: JSONRPCMessage): string | undefined {
  if (!('result' in message)) return undefined;
  const content = (message.result as { content?: unknown }).content;
  if (!Array.isArray(content) || content.length !== 1) return undefined;
  const [item] = content as { type?: unknown; text?: unknown }[];
  return item?.type === 'text' && typeof item.text === 'string' && item.text.length >= KEEP_TEXT_CHARS
    ? item.text
    : undefined;
}

/** `message` with its one text content replaced by `text`. */
function withText(message: JSONRPCMessage, text: string): JSONRPCMessage {
  const { result } = message as unknown as { result: { content: object[] } };
  return { ...message, result: { ...result, content: [{ ...result.content[0], text }] } };
}
