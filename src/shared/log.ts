// The logger port the core writes to. The extension implements it with a LogOutputChannel,
// the CLI with stderr (only under --verbose), tests with an in-memory sink.
// Everything that reaches a logger goes through `redact` first: no API key, token or secret
// may ever be written to a log.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

const drop = () => undefined;
/** A logger that drops everything. */
export const nullLogger: Logger = { debug: drop, info: drop, warn: drop, error: drop };

// Key-shaped strings: DeepSeek/OpenAI-style `sk-…`, bearer tokens, and `key=…`-style query values.
const SK_KEY = /\bsk-[A-Za-z0-9_-]{8,}/g;
const BEARER = /\b(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi;
const KEY_QUERY = /([?&](?:api[_-]?key|key|token|access_token)=)[^&\s"']+/gi;

/** Replaces anything key-shaped in `text` (and each of `secrets` verbatim) with a marker. */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join('[REDACTED]');
  out = out.replace(SK_KEY, 'sk-[REDACTED]');
  out = out.replace(BEARER, '$1[REDACTED]');
  out = out.replace(KEY_QUERY, '$1[REDACTED]');
  return out;
}

/** Wraps a logger so every message is redacted (known secrets verbatim, plus key-shaped strings). */
export function redactingLogger(inner: Logger, secrets: () => readonly string[] = () => []): Logger {
  const wrap = (fn: (m: string) => void) => (m: string) => fn(redact(m, secrets()));
  return {
    debug: wrap((m) => inner.debug(m)),
    info: wrap((m) => inner.info(m)),
    warn: wrap((m) => inner.warn(m)),
    error: wrap((m) => inner.error(m)),
  };
}
