// Shared fixtures of the llm tests: scripted fetches, SSE responses from exact byte chunks, a clock
// that runs retry waits instantly, a logger that remembers, handlers that record every callback.
import type { Logger } from '../../../src/shared/log';
import type { Clock, RequestParams, StreamHandlers, Usage } from '../../../src/llm/types';

export const KEY = 'sk-test-key-abcdef123456';
export const PARAMS: RequestParams = {
  model: 'deepseek-v4-pro',
  maxTokens: 4096,
  thinking: true,
  reasoningEffort: 'high',
};
export const MESSAGES = [
  { role: 'system' as const, content: 'You are a test.' },
  { role: 'user' as const, content: 'SECRET-PROMPT-TEXT what does main.ts export?' },
];

/** A streamed response that delivers exactly these byte chunks, one per read. */
export function chunkedResponse(
  chunks: Uint8Array[],
  init: { status?: number; headers?: Record<string, string> } = {},
): Response {
  let i = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (i < chunks.length) controller.enqueue(chunks[i++]!);
      else controller.close();
    },
  });
  return new Response(body, {
    status: init.status ?? 200,
    headers: { 'content-type': 'text/event-stream', ...init.headers },
  });
}

export const text = (s: string) => new TextEncoder().encode(s);

/** One SSE `data:` event of a chunk with these delta fields (and optional finish reason). */
export function chunkEvent(delta: Record<string, unknown>, finish: string | null = null): string {
  const chunk = {
    id: 'c1',
    object: 'chat.completion.chunk',
    model: 'deepseek-v4-pro',
    choices: [{ index: 0, delta, finish_reason: finish }],
  };
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

export type ScriptStep = Response | Error | (() => Response | Promise<Response>);

/** A fetch that answers call n with step n (a Response, a thrown Error, or a factory); records each call. */
export function scriptedFetch(...steps: ScriptStep[]) {
  const calls: { url: string; headers: Headers; body: unknown; signal: AbortSignal | undefined }[] = [];
  const fn = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    calls.push({
      url: String(input instanceof Request ? input.url : input),
      headers: new Headers(init?.headers),
      body: init?.body ? JSON.parse(await new Response(init.body).text()) : undefined,
      signal: init?.signal ?? undefined,
    });
    const step = steps[Math.min(calls.length - 1, steps.length - 1)];
    if (step instanceof Error) throw step;
    if (typeof step === 'function') return step();
    if (!step) throw new Error('scriptedFetch: no step');
    return step.clone();
  };
  return { fetch: fn, calls };
}

/**
 * A clock whose short timers (retry waits) fire at once and whose long ones (deadlines) never do; records every wait
 * (ms).
 */
export function instantClock(
  now = Date.parse('2031-01-01T00:00:00Z'),
  longMs = 100_000_000,
): Clock & { waits: number[] } {
  const waits: number[] = [];
  return {
    waits,
    now: () => now,
    setTimeout(fn, ms) {
      waits.push(ms);
      return ms < longMs ? setImmediate(fn) : undefined;
    },
    clearTimeout(h) {
      if (h) clearImmediate(h as NodeJS.Immediate);
    },
  };
}

/**
 * A clock whose timers fire only when the test says: `fire(ms)` fires the pending timers set for `ms`, and
 * `fireWhenSet(ms, n)` does so on the event loop's next turn once a timer for `ms` was set `n` times (after
 * the code that set it has run). A deadline passes at an event the test chooses, never because the machine
 * was slow or fast.
 */
export function manualClock(
  now = Date.parse('2031-01-01T00:00:00Z'),
): Clock & { fire(ms: number): number; fireWhenSet(ms: number, times: number): void } {
  let next = 1;
  const timers = new Map<number, { fn: () => void; ms: number }>();
  const sets = new Map<number, number>();
  const triggers: { ms: number; times: number }[] = [];
  const fire = (ms: number) => {
    const due = [...timers].filter(([, t]) => t.ms === ms);
    for (const [id, t] of due) {
      timers.delete(id);
      t.fn();
    }
    return due.length;
  };
  return {
    now: () => now,
    setTimeout(fn, ms) {
      timers.set(next, { fn, ms });
      sets.set(ms, (sets.get(ms) ?? 0) + 1);
      if (triggers.some((t) => t.ms === ms && t.times === sets.get(ms))) setImmediate(() => fire(ms));
      return next++;
    },
    clearTimeout(h) {
      timers.delete(h as number);
    },
    fire,
    fireWhenSet(ms, times) {
      triggers.push({ ms, times });
    },
  };
}

/** Deadlines the instant clock never fires. */
export const NO_DEADLINES = { firstDataMs: 1e9, idleMs: 1e9, overallMs: 2e9 };

export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const at = (level: string) => (m: string) => void lines.push(`${level} ${m}`);
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** Handlers that record every callback in order. */
export function recorder() {
  const events: { type: string; value?: unknown }[] = [];
  const handlers: StreamHandlers = {
    onReasoning: (d) => void events.push({ type: 'reasoning', value: d }),
    onContent: (d) => void events.push({ type: 'content', value: d }),
    onUsage: (u: Usage) => void events.push({ type: 'usage', value: u }),
    onRetry: (info) => void events.push({ type: 'retry', value: info }),
    onKeepAlive: () => void events.push({ type: 'keepalive' }),
  };
  const of = (type: string) => events.filter((e) => e.type === type);
  return { events, handlers, of };
}

/** Responses and failures the retry and error tests script: a good stream, an HTTP status, a network error. */
export const ok = () => chunkedResponse([text(chunkEvent({ content: 'fine' }, 'stop') + 'data: [DONE]\n\n')]);
export const status =
  (code: number, headers: Record<string, string> = {}, body = '{"error":{"message":"nope"}}') =>
  () =>
    new Response(body, { status: code, headers: { 'content-type': 'application/json', ...headers } });
export const netError = (code: string, message = 'fetch failed') =>
  new TypeError(message, { cause: Object.assign(new Error(`connect ${code}`), { code }) });
export const fast = (f: typeof fetch, extra = {}) => ({
  baseUrl: 'https://api.deepseek.com',
  apiKey: KEY,
  fetch: f,
  clock: instantClock(),
  random: () => 0,
  timeouts: NO_DEADLINES,
  ...extra,
});
