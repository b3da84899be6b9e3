// A 200 that is not an event stream: a captive portal's login page, a proxy's block page, a
// server that ignores `stream: true`, or a wrong base URL. It is refused with a message that
// says which, and its body is never returned as answer text (HTML must not reach the renderer).
import { serverMessage } from './errors';
import type { LlmError } from './types';

/** Largest non-stream body we read to explain a refusal (bytes); the rest is dropped unread. */
const MAX_PEEK_BYTES = 64 * 1024;

/** Reads at most `MAX_PEEK_BYTES` of a body as text, then cancels the rest. */
async function peek(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader: ReadableStreamDefaultReader<Uint8Array> = response.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < MAX_PEEK_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
      size += value.length;
    }
  } catch {
    // A body that breaks while we peek explains nothing more.
  } finally {
    void reader.cancel().catch(() => undefined);
  }
  return new TextDecoder().decode(Buffer.concat(parts).subarray(0, MAX_PEEK_BYTES));
}

/**
 * The `not_event_stream` error for a 200 that is not what was asked for (`wanted`); consumes (a bounded part of) its
 * body.
 */
export async function refuseNonEventStream(
  response: Response,
  host: string,
  wanted = 'an event stream',
): Promise<LlmError> {
  const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const status = response.status;
  const e = (message: string): LlmError => ({ kind: 'not_event_stream', status, message });
  const moved = response.redirected ? ` The request was redirected to ${new URL(response.url).host}.` : '';
  if (type === 'application/json' || type.endsWith('+json')) {
    let json: unknown;
    try {
      json = JSON.parse(await peek(response));
    } catch {
      json = undefined;
    }
    const said = serverMessage(json);
    if (said) return e(`${host} answered with an error instead of ${wanted}: ${said}.${moved}`);
    if (Array.isArray((json as { choices?: unknown } | undefined)?.choices)) {
      return e(
        `${host} sent a whole JSON reply instead of a stream: it ignores stream=true. Use an endpoint that ` +
          `supports streaming (DeepSeek: https://api.deepseek.com).${moved}`,
      );
    }
    return e(`${host} answered with unexpected JSON instead of ${wanted}. Check the base URL.${moved}`);
  }
  void response.body?.cancel().catch(() => undefined);
  if (type === 'text/html') {
    return e(
      `${host} answered with a web page instead of ${wanted}. A captive portal (a Wi-Fi sign-in page) or a ` +
        `proxy is likely: sign in through a browser, or check the base URL and proxy settings.${moved}`,
    );
  }
  return e(
    `${host} answered with ${type || 'no content type'} instead of ${wanted}. Check the base URL (DeepSeek's ` +
      `is https://api.deepseek.com) and your proxy.${moved}`,
  );
}
