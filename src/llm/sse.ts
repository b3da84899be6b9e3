// Reads a `text/event-stream` body by the WHATWG rules (eventsource-parser): CR, LF or CRLF line
// ends even when split across chunks, comments, a bare `data` line, named events, UTF-8 decoded
// across chunk boundaries. We read the SSE ourselves instead of iterating the SDK's Stream because
// the SDK's decoder JSON-parses events the spec says to skip (a bare `data` line, a named
// `event: notice`) and throws, and it hides keep-alive comments, which the deadlines must see.
import { createParser } from 'eventsource-parser';

export interface SseEvent {
  /** The `event:` name; undefined for plain messages. */
  event?: string;
  data: string;
}

export interface SseHandlers {
  /** A dispatched event; return false to stop reading (the body is cancelled). */
  event(e: SseEvent): boolean;
  /** A comment line (`: keep-alive`), text after the colon. */
  comment(text: string): void;
}

/** How reading ended: the body's end, a handler said stop, or `signal` aborted. */
export type StreamEnd = 'eof' | 'stopped' | 'aborted';

/** Thrown when one event grows past the buffer cap (a broken or hostile server). */
export class EventTooLargeError extends Error {}

/** Largest event we buffer (UTF-16 code units): far above any real delta, far below memory trouble. */
const MAX_EVENT_CHARS = 64 * 1024 * 1024;

/** Reads `body` to its end, calling `on.event` per event and `on.comment` per comment; throws on transport errors. */
export async function readEventStream(
  body: ReadableStream<Uint8Array>,
  on: SseHandlers,
  signal: AbortSignal,
): Promise<StreamEnd> {
  const reader = body.getReader();
  const decoder = new TextDecoder('utf-8');
  let stop = false;
  let tooLarge = false;
  const parser = createParser({
    maxBufferSize: MAX_EVENT_CHARS,
    onEvent: (e) => {
      if (!stop && !on.event({ ...(e.event !== undefined ? { event: e.event } : {}), data: e.data })) stop = true;
    },
    onComment: (text) => !stop && on.comment(text),
    onError: (err) => {
      if (err.type === 'max-buffer-size-exceeded') tooLarge = true;
    },
  });
  const cancel = () => void reader.cancel(signal.reason).catch(() => undefined);
  signal.addEventListener('abort', cancel, { once: true });
  try {
    for (;;) {
      if (signal.aborted) return 'aborted';
      let chunk: Awaited<ReturnType<typeof reader.read>>;
      try {
        chunk = await reader.read();
      } catch (e) {
        if (signal.aborted) return 'aborted';
        throw e;
      }
      if (signal.aborted) return 'aborted';
      if (chunk.done) {
        // An event still missing its blank line at EOF is discarded, as the spec says.
        parser.feed(decoder.decode());
        return stop ? 'stopped' : 'eof';
      }
      parser.feed(decoder.decode(chunk.value, { stream: true }));
      if (tooLarge) throw new EventTooLargeError(`an event grew past ${MAX_EVENT_CHARS} characters`);
      if (stop) {
        cancel();
        return 'stopped';
      }
    }
  } finally {
    signal.removeEventListener('abort', cancel);
  }
}
