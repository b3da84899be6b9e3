// What the server makes of one line of its input: a message for the SDK, or the JSON-RPC 2.0 error that
// answers it (the SDK's stdio transport answers nothing and logs a warning, so a client waits for ever):
// not JSON is a Parse error (-32700, id null); JSON that is not a JSON-RPC message is an Invalid Request
// (-32600, with its id when it has one); a line over the length limit too, with the id read from its
// kept ends; a request to a method of the MCP spec whose params its schema rejects is Invalid params
// (-32602: the SDK would answer -32603 Internal error, modelcontextprotocol/typescript-sdk#2284).
// Each error message is one line. A malformed response is not answered (no response ever is).
import {
  ClientRequestSchema,
  ErrorCode,
  JSONRPCMessageSchema,
  type JSONRPCMessage,
  type JSONRPCRequest,
  type RequestId,
} from '@modelcontextprotocol/sdk/types.js';
import { inputShown } from './schemas';

/** A JSON-RPC 2.0 error response; `id` is null when the request's id could not be read. */
export interface ErrorReply {
  jsonrpc: '2.0';
  id: RequestId | null;
  error: { code: number; message: string };
}

/** A line read: the message it holds, or what was wrong with it and the reply to send, if any. */
export type Incoming = { message: JSONRPCMessage } | { problem: string; reply?: ErrorReply };

const reply = (id: RequestId | null, code: ErrorCode, message: string): ErrorReply => ({
  jsonrpc: '2.0',
  id,
  error: { code, message },
});

/** At most `max` characters of `text` on one line. */
const oneLine = (text: string, max = 200) => {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? line.slice(0, max - 1) + '…' : line;
};

/** The message on `line` (a whole line of input, without its newline). */
export function readLine(line: string): Incoming {
  const text = line.startsWith('\uFEFF') ? line.slice(1) : line; // a byte order mark some Windows tools write
  if (!text.trim()) return { problem: 'an empty line' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const message = `Parse error: ${oneLine((e as Error).message)}`;
    return { problem: message, reply: reply(null, ErrorCode.ParseError, message) };
  }
  const parsed = JSONRPCMessageSchema.safeParse(value);
  if (parsed.success) return { message: parsed.data };
  if (isObject(value) && !('method' in value) && ('result' in value || 'error' in value))
    return { problem: `a response that is not JSON-RPC 2.0 (not answered): ${oneLine(parsed.error.message)}` };
  const message = `Invalid Request: ${whyInvalid(value)}`;
  return { problem: message, reply: reply(idOf(value), ErrorCode.InvalidRequest, message) };
}

/** The reply to a line of `bytes` bytes, longer than `maxBytes`, of which `head` and `tail` were kept. */
export function tooLong(head: string, tail: string, bytes: number, maxBytes: number): Incoming {
  const mib = (n: number) => `${Math.round((n / 2 ** 20) * 10) / 10} MiB`;
  const message =
    `Invalid Request: a message of ${bytes} bytes (${mib(bytes)}), over the ${maxBytes}-byte limit ` +
    `(${mib(maxBytes)}); it was not read`;
  return { problem: message, reply: reply(idAtEnds(head, tail), ErrorCode.InvalidRequest, message) };
}

/** The spec's schema of each request a client may send, by method. */
const SPEC_REQUESTS = new Map(ClientRequestSchema.options.map((s) => [s.shape.method.value as string, s]));

/**
 * The Invalid params reply to `request` when its method is one of the spec's, `answers` it (else the SDK
 * answers Method not found) and its params do not fit the spec's schema of it; undefined when they fit.
 */
export function invalidParams(request: JSONRPCRequest, answers: (method: string) => boolean): ErrorReply | undefined {
  const checked = SPEC_REQUESTS.get(request.method)?.safeParse(request);
  if (!checked || checked.success || !answers(request.method)) return undefined;
  const [issue, ...more] = checked.error.issues;
  const where = issue?.path.join('.') || 'params';
  const what =
    issue?.code === 'invalid_type'
      ? `expected ${EXPECTED[issue.expected] ?? issue.expected}, got ${inputShown(valueAt(request, issue.path))}`
      : oneLine(issue?.message ?? 'not as the MCP specification describes it');
  const others = more.length ? ` (and ${more.length} more)` : '';
  return reply(
    request.id,
    ErrorCode.InvalidParams,
    `Invalid params for ${request.method}: ${what} at ${where}${others}`,
  );
}

const EXPECTED: Record<string, string> = {
  record: 'an object',
  object: 'an object',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
};

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let at = value;
  for (const key of path)
    at = isObject(at) || Array.isArray(at) ? (at as Record<PropertyKey, unknown>)[key] : undefined;
  return at;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The id of `value` when it is one a reply can carry (JSON-RPC: a string or a number), else null. */
function idOf(value: unknown): RequestId | null {
  const id = isObject(value) ? value.id : undefined;
  return typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id)) ? id : null;
}

/** What makes `value` not a JSON-RPC 2.0 request or notification. */
function whyInvalid(value: unknown): string {
  if (Array.isArray(value)) return 'a batch (a JSON array); MCP takes one message a line';
  if (!isObject(value)) return `expected a JSON-RPC message (an object), got ${inputShown(value)}`;
  if (value.jsonrpc !== '2.0') return `expected "jsonrpc": "2.0", got ${inputShown(value.jsonrpc)}`;
  if (!('method' in value)) return 'expected a "method" (a request or a notification) or a "result" or "error"';
  if (typeof value.method !== 'string') return `expected "method" to be a string, got ${inputShown(value.method)}`;
  if ('id' in value && typeof value.id !== 'string' && !Number.isInteger(value.id))
    return `expected "id" to be a string or an integer, got ${inputShown(value.id)}`;
  if ('params' in value && !isObject(value.params))
    return `expected "params" to be an object, got ${inputShown(value.params)}`;
  const unknown = Object.keys(value).filter((k) => !['jsonrpc', 'id', 'method', 'params'].includes(k));
  if (unknown.length) return `unknown member${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`;
  return 'not a JSON-RPC 2.0 request or notification';
}

const STRING = '"(?:[^"\\\\]|\\\\.)*"';
const ID = `(-?\\d+|${STRING})`;
/** An `"id"` among the first members of the message (after `"jsonrpc"` or `"method"`, as most clients write). */
const HEAD_ID = new RegExp(
  `^\\s*\\{(?:\\s*"(?:jsonrpc|method)"\\s*:\\s*${STRING}\\s*,)*\\s*"id"\\s*:\\s*${ID}\\s*[,}]`,
);
/** An `"id"` as the message's last member (the SDK's client writes it last). */
const TAIL_ID = new RegExp(`,\\s*"id"\\s*:\\s*${ID}\\s*\\}\\s*$`);

/** The id of a message whose first and last bytes are `head` and `tail`, when either shows it. */
function idAtEnds(head: string, tail: string): RequestId | null {
  const token = HEAD_ID.exec(head)?.[1] ?? TAIL_ID.exec(tail)?.[1];
  if (token === undefined) return null;
  try {
    return JSON.parse(token) as RequestId;
  } catch {
    return null; // a string cut by the kept end
  }
}
