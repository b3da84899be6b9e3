// Checks the configured base URL before anything is sent: a typo, a `ftp:` scheme or a pasted
// `/chat/completions` endpoint must give a config error the user can fix, not a retried
// "connection failed" after a long wait.
import type { LlmError } from './types';

export interface Endpoint {
  /** Base URL for the SDK: http(s), no trailing slash, no `/chat/completions` suffix. */
  url: string;
  /** `host[:port]`, for messages and logs. */
  host: string;
  /** On this machine (localhost, 127.0.0.0/8, ::1): a local server (Ollama, LM Studio, vLLM) is asked without a key. */
  local: boolean;
}

/** A host name that is this machine: `localhost` (and `*.localhost`), 127.0.0.0/8, `::1`, `0.0.0.0`. */
function isLoopback(hostname: string): boolean {
  const h = hostname.toLowerCase();
  return (
    h === 'localhost' || h.endsWith('.localhost') || /^127(?:\.\d{1,3}){3}$/.test(h) || h === '[::1]' || h === '0.0.0.0'
  );
}

/**
 * The host of `baseUrl` when it is a valid URL on this machine (a local server, asked without a key), else undefined.
 */
export function localHost(baseUrl: string): string | undefined {
  const endpoint = parseBaseUrl(baseUrl);
  return 'error' in endpoint || !endpoint.local ? undefined : endpoint.host;
}

/** True unless `baseUrl` is on this machine: only a local server may be asked without an API key. */
export function needsApiKey(baseUrl: string): boolean {
  return localHost(baseUrl) === undefined;
}

/** Validates and normalises a base URL; returns the endpoint or a `config` error. */
export function parseBaseUrl(raw: string): Endpoint | { error: LlmError } {
  const trimmed = raw.trim();
  const hint =
    'Set deepseekRepo.baseUrl (or DEEPSEEK_BASE_URL for the CLI) to an http(s) URL such as https://api.deepseek.com.';
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return { error: { kind: 'config', message: `The base URL "${trimmed}" is not a valid URL. ${hint}` } };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return {
      error: {
        kind: 'config',
        message: `The base URL "${trimmed}" uses ${url.protocol.replace(/:$/, '')}, not http(s). ${hint}`,
      },
    };
  }
  if (url.username || url.password) {
    return {
      error: {
        kind: 'config',
        message:
          `The base URL must not contain a user name or password. ${hint} The API key goes in "DeepSeek: Set ` +
          `API Key" (or DEEPSEEK_API_KEY).`,
      },
    };
  }
  if (url.search || url.hash) {
    return {
      error: {
        kind: 'config',
        message: `The base URL "${trimmed}" has a query or fragment, which requests cannot carry. ${hint}`,
      },
    };
  }
  const path = url.pathname.replace(/\/+$/, '').replace(/\/chat\/completions$/, '');
  return { url: `${url.origin}${path}`, host: url.host, local: isLoopback(url.hostname) };
}
