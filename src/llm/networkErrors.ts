// Failures without an HTTP status (DNS, refused, reset, TLS, proxy, timeouts), told apart by the
// error codes Node's fetch (undici) puts on the `cause` chain, each mapped to a message the user can
// act on and whether a retry may heal it. HTTP statuses are errors.ts.
import OpenAI from 'openai';
import type { LlmError } from './types';

/** The `code`s and messages along an error's `cause` chain (undici nests the socket error there). */
function causeChain(e: unknown): { codes: string[]; text: string } {
  const codes: string[] = [];
  const texts: string[] = [];
  let cur: unknown = e;
  for (let depth = 0; cur && depth < 6; depth++) {
    const c = cur as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof c.code === 'string') codes.push(c.code);
    if (typeof c.message === 'string') texts.push(c.message);
    cur = c.cause;
  }
  return { codes, text: texts.join(' | ') };
}

const TLS_CODES = /^(?:CERT_|UNABLE_TO_|SELF_SIGNED|DEPTH_ZERO|ERR_TLS|ERR_SSL|EPROTO$|HOSTNAME_MISMATCH)/;

/**
 * Maps a failure without an HTTP status (DNS, refused, reset, TLS, proxy, timeouts) to an error and whether a retry may
 * heal it.
 */
export function errorForNetwork(e: unknown, host: string): { error: LlmError; retryable: boolean } {
  const { codes, text } = causeChain(e);
  const has = (...wanted: string[]) => codes.some((c) => wanted.includes(c));
  const net = (message: string, retryable: boolean) => ({ error: { kind: 'network' as const, message }, retryable });
  if (/\b407\b|proxy authentication/i.test(text)) {
    return net(
      'Your proxy requires authentication (407). Set the proxy credentials (VS Code: http.proxy; CLI: HTTPS_PROXY).',
      false,
    );
  }
  const tls = codes.find((c) => TLS_CODES.test(c));
  if (tls) {
    return net(
      `The TLS certificate of ${host} is not trusted (${tls}). If a corporate proxy inspects HTTPS, trust ` +
        `its CA (VS Code uses the system certificates; CLI: NODE_EXTRA_CA_CERTS=ca.pem).`,
      false,
    );
  }
  if (has('ENOTFOUND'))
    return net(`Could not resolve ${host} (DNS). Check the base URL, your network, or your proxy settings.`, false);
  if (has('EAI_AGAIN')) return net(`DNS lookup of ${host} failed temporarily. Check your network connection.`, true);
  if (has('ECONNREFUSED'))
    return net(
      `${host} refused the connection. Check the base URL (is the server running?) and your proxy settings.`,
      true,
    );
  if (
    has('UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT', 'UND_ERR_HEADERS_TIMEOUT') ||
    e instanceof OpenAI.APIConnectionTimeoutError
  ) {
    return {
      error: {
        kind: 'timeout',
        message: `${host} did not answer in time. Check your network or proxy, then try again.`,
      },
      retryable: true,
    };
  }
  if (has('ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN'))
    return net(`${host} is unreachable: the network is down or blocked. Check your connection, VPN or proxy.`, true);
  if (
    has('ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ECONNABORTED') ||
    /terminated|other side closed|socket hang up/i.test(text)
  ) {
    return net(`The connection to ${host} was reset. Try again; if it keeps happening, check your proxy or VPN.`, true);
  }
  if (has('UND_ERR_BODY_TIMEOUT')) {
    return { error: { kind: 'timeout', message: `${host} stopped sending data. Try again.` }, retryable: true };
  }
  const detail = codes[0] ?? text.split(' | ').pop() ?? 'unknown error';
  return net(`Could not reach ${host} (${detail}). Check the base URL and your network or proxy.`, true);
}
