// Turns everything that can go wrong with a request into an `LlmError` the user can act on:
// HTTP statuses (with DeepSeek's `{"error": {"message"}}` body) here, network failures in
// networkErrors.ts, what another server refuses in refusals.ts. Also decides which failures are
// worth a retry before the first token.
import OpenAI, { type APIError } from 'openai';
import type { HeaderSource } from './retry';
import { errorForNetwork } from './networkErrors';
import type { LlmError } from './types';
import { plausibleWindow } from './window';

const SERVER_MESSAGE_MAX = 400;

/** The server's own error message from a JSON error body, or undefined (HTML pages are never quoted). */
export function serverMessage(body: unknown): string | undefined {
  const inner = (body as { error?: unknown } | undefined)?.error ?? body;
  const message = (inner as { message?: unknown } | undefined)?.message;
  if (typeof message !== 'string' || !message.trim()) return undefined;
  const m = message.trim();
  return m.length > SERVER_MESSAGE_MAX ? `${m.slice(0, SERVER_MESSAGE_MAX)}…` : m;
}

const CONTEXT_TOO_LONG =
  /context length|context window|context size|maximum context|too many tokens|too long|exceeds? the (?:model'?s? )?(?:maximum|limit)/i;

/**
 * How servers state the window in a too-long error: OpenAI, vLLM and OpenRouter; Mistral; LM Studio; Anthropic (via
 * OpenRouter); llama.cpp's older text.
 */
const STATED_WINDOW = [
  /maximum context length is (\d[\d,]*)/i,
  /(\d[\d,]*) maximum context length/i,
  /context length of (?:only )?(\d[\d,]*)/i,
  /tokens? > (\d[\d,]*) maximum/i,
  /context size \((\d[\d,]*) tokens?\)/i,
];

/**
 * The model's context window (tokens) as a too-long error states it (llama.cpp: `n_ctx` in the error object), if it
 * does.
 */
export function statedWindow(body: unknown, message: string | undefined): number | undefined {
  const inner = (body as { error?: unknown } | undefined)?.error ?? body;
  const stated = STATED_WINDOW.map((re) => re.exec(message ?? '')?.[1]).map((m) =>
    m ? Number(m.replace(/,/g, '')) : undefined,
  );
  return [(inner as { n_ctx?: unknown } | undefined)?.n_ctx, ...stated]
    .map(plausibleWindow)
    .find((n) => n !== undefined);
}

/** True for DeepSeek's own API (its account, balance and model advice apply). */
export function isDeepSeekHost(host: string): boolean {
  return /(?:^|\.)deepseek\.com(?::\d+)?$/i.test(host);
}

/** Who to name in a message: "DeepSeek" for its own API, else the host the user configured. */
export function serverName(host: string): string {
  return isDeepSeekHost(host) ? 'DeepSeek' : host;
}

/**
 * What to do about a request too long for a model: DeepSeek V4's window is known, another model's is set by the user
 * (or reported by the endpoint).
 */
function tooLongAdvice(deepseek: boolean, window: number | undefined): string {
  if (deepseek) return 'Shrink the selection or lower deepseekRepo.contextBudgetTokens (CLI: --budget).';
  if (window === undefined)
    return (
      "Set deepseekRepo.contextWindowTokens to the model's context window (CLI: --window TOKENS), then ask in " +
      'a new chat.'
    );
  return (
    `The model's context window is ${window.toLocaleString('en-US')} tokens: set ` +
    `deepseekRepo.contextWindowTokens to ${window} (CLI: --window ${window}), then ask in a new chat.`
  );
}

/** Maps an HTTP error status (and the server's message; the window a too-long error states) to an actionable error. */
export function errorForStatus(status: number, server: string | undefined, host: string, window?: number): LlmError {
  const said = server ? `: ${server.replace(/[.\s]+$/, '')}` : ''; // its own full stop would double ours
  const who = serverName(host);
  const deepseek = isDeepSeekHost(host);
  const e = (kind: LlmError['kind'], message: string): LlmError => ({ kind, status, message });
  const tooLong = (message: string): LlmError => ({
    ...e('context_too_long', message),
    ...(window !== undefined ? { windowTokens: window } : {}),
  });
  if (status === 400 && server && CONTEXT_TOO_LONG.test(server)) {
    return tooLong(`The request is too long for the model${said}. ${tooLongAdvice(deepseek, window)}`);
  }
  if (status === 413)
    return tooLong(
      `The request is too large for the server (413)${said}. ` +
        `${deepseek ? 'Shrink the selection or the context budget.' : tooLongAdvice(false, window)}`,
    );
  const pickModel = "Pick a model the endpoint lists (the chat's model picker; CLI: --model ID).";
  if (status === 400)
    return e(
      'bad_request',
      `${who} rejected the request (400)${said}.${server && /\bmodel\b/i.test(server) ? ` ${pickModel}` : ''}`,
    );
  if (status === 401)
    return e(
      'auth',
      `${who} rejected the API key (401). Set a valid key with "DeepSeek: Set API Key" (CLI: DEEPSEEK_API_KEY).`,
    );
  if (status === 402)
    return e(
      'balance',
      deepseek
        ? 'Your DeepSeek balance is too low (402). Top up at platform.deepseek.com, then ask again.'
        : `${who} wants payment (402)${said}. Check the account's credits or plan, then ask again.`,
    );
  if (status === 403)
    return e(
      'auth',
      `The server refused access (403)${said}. Check the API key and that your account may use this model.`,
    );
  if (status === 404) {
    if (server && /model/i.test(server)) return e('bad_request', `The model was not found (404)${said}. ${pickModel}`);
    return e(
      'config',
      `Nothing answers at ${host}/chat/completions (404). Check the base URL (DeepSeek's is https://api.deepseek.com).`,
    );
  }
  if (status === 407)
    return e(
      'network',
      'Your proxy requires authentication (407). Set the proxy credentials (VS Code: http.proxy; CLI: HTTPS_PROXY).',
    );
  if (status === 408) return e('timeout', `The server timed out waiting for the request (408)${said}. Try again.`);
  if (status === 422)
    return e(
      'bad_request',
      `${who} rejected a parameter (422)${said}. Check the model id and the thinking, effort and ` +
        `output-token settings.`,
    );
  if (status === 429)
    return e(
      'rate_limit',
      `${who} is rate-limiting this account (429: too many requests at once). Try again in a minute.`,
    );
  if (status === 503)
    return e(
      'server',
      `${who} is overloaded (503). Try again in a few minutes${deepseek ? ', or switch to the flash model' : ''}.`,
    );
  if (status >= 500)
    return e('server', `${who} had a server error (${status})${deepseek ? '' : said}. Try again later.`);
  return e('bad_request', `The server answered HTTP ${status}${said}.`);
}

/**
 * What happened, without the advice: the first sentence of an error's message ("DeepSeek is
 * overloaded (503)"), for a notice that a retry is under way, where "try again later" would be wrong.
 */
export function whatHappened(message: string): string {
  return message.split(/(?<=[^.\s][.)])\.?\s+(?=[A-Z])/)[0]!.replace(/\.$/, '');
}

/** The request id DeepSeek (or a proxy in front of it) put on a response or an error. */
export function requestIdOf(headers: HeaderSource): string | undefined {
  return headers.get('x-deepseek-request-id') ?? headers.get('x-request-id') ?? undefined;
}

/** Statuses retried before the first token: request timeout, rate limit, server errors. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * Maps whatever the SDK threw for a request (an HTTP error status or a connection failure) to an error, whether a retry
 * may heal it, and the response headers.
 */
export function errorFromSdk(e: unknown, host: string): { error: LlmError; retryable: boolean; headers?: Headers } {
  // `instanceof` would type the SDK error's status, headers and body as `any`: name the class's own types.
  const sdk: APIError | undefined = e instanceof OpenAI.APIError ? e : undefined;
  if (sdk?.status !== undefined) {
    const { status, headers, error: body } = sdk;
    const requestId = headers ? requestIdOf(headers) : undefined;
    const message = serverMessage(body);
    const error = {
      ...errorForStatus(status, message, host, statedWindow(body, message)),
      ...(requestId ? { requestId } : {}),
    };
    return { error, retryable: isRetryableStatus(status), ...(headers ? { headers } : {}) };
  }
  return errorForNetwork(e instanceof OpenAI.APIConnectionError ? (e.cause ?? e) : e, host);
}
