// The SDK's stdio transport, with two changes. Reading: lines are read by our BoundedLineReader and
// incoming.ts, so that every line that is not a message the server can serve (not JSON, not JSON-RPC,
// too long, a spec request with params its schema rejects) is answered with a JSON-RPC error and the
// server reads on; the SDK's reader answers none of them and stops for good at its 10 MiB buffer limit.
// Writing: a result whose text is the one it sent last (a repeated pack_repository call answered from the
// warm pack) is written from that text's JSON bytes, kept from the first time, instead of escaping and
// encoding megabytes again. The bytes are the same as the SDK's own serialisation (JSON.stringify of the
// message and a newline); every other message is the SDK's.
import type { Readable, Writable } from 'node:stream';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { invalidParams, readLine, tooLong, type Incoming } from './incoming';
import { BoundedLineReader } from './lineReader';

/**
 * The longest message read (bytes, its newline not counted): the SDK's own limit, so nothing a client sent the
 * stock transport is refused, and room for the longest question ask_repository takes (1,000,000 characters,
 * at most 6 bytes each as JSON) with its other arguments. A longer line is answered and dropped, never held.
 */
export const MAX_LINE_BYTES = 10 * 1024 * 1024;

export interface StdioOptions {
  /** Whether the server answers requests to `method` (default: it does); see invalidParams. */
  answers?: (method: string) => boolean;
}

/** Texts shorter than this (characters) are serialised as the SDK does: keeping them would save nothing. */
export const KEEP_TEXT_CHARS = 64 * 1024;

/** Stands for the text while the rest of the message is serialised; no JSON-RPC message holds it. */
const SLOT = '\u0000deepseek-repo-text-slot\u0000';

export class TextKeepingStdioTransport extends StdioServerTransport {
  private kept: { text: string; json: Buffer } | undefined;
  /** Called with each message once it is written. */
  onsent?: (message: JSONRPCMessage) => void;

  private readonly reader: BoundedLineReader;
  private reading = false;

  constructor(
    private readonly input: Readable,
    private readonly out: Writable,
    private readonly options: StdioOptions = {},
  ) {
    super(input, out);
    this.reader = new BoundedLineReader(MAX_LINE_BYTES, {
      line: (text) => this.receive(readLine(text)),
      tooLong: (head, tail, bytes) => this.receive(tooLong(head, tail, bytes, MAX_LINE_BYTES)),
    });
  }

  override async start(): Promise<void> {
    if (this.reading) throw new Error('TextKeepingStdioTransport already started');
    this.reading = true;
    this.input.on('data', this.read);
    this.input.on('error', this._onerror);
  }

  override async close(): Promise<void> {
    this.input.off('data', this.read);
    this.input.off('error', this._onerror);
    if (this.input.listenerCount('data') === 0) this.input.pause(); // as the SDK's: others may still read it
    this.reader.clear();
    this.onclose?.();
  }

  private readonly read = (chunk: Buffer | string) => {
    this.reader.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  };

  /** Hands a message to the server, or answers the line it could not be. */
  private receive(incoming: Incoming): void {
    try {
      if ('message' in incoming) {
        const { message } = incoming;
        const bad = 'method' in message && 'id' in message && invalidParams(message, this.answers);
        if (!bad) return this.onmessage?.(message);
        incoming = { problem: bad.error.message, reply: bad };
      }
      this.onerror?.(new Error(`${incoming.problem}${incoming.reply ? ' (answered)' : ''}`));
      // An error whose id is null is JSON-RPC's, not in the SDK's message types (they leave the id out).
      if (incoming.reply) void this.send(incoming.reply as unknown as JSONRPCMessage);
    } catch (e) {
      this.onerror?.(e as Error);
    }
  }

  private readonly answers = (method: string) => this.options.answers?.(method) ?? true;

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
