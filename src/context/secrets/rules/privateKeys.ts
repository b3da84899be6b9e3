// Private keys: PEM and OpenSSH blocks (RSA, EC, DSA, PKCS#8, encrypted), PGP private key blocks,
// SSH.com and PuTTY key files, and age secret keys. Blocks are found however they are written: a
// plain file, a YAML block scalar, a JSON string with `\n` escapes (GCP service-account keys),
// string concatenation in code, CRLF. Only the body is replaced; the BEGIN/END lines stay so the
// model still knows a key of that kind lives there.
import { isExampleOrFiller } from '../allow';
import { PRIORITY, regexRule, type ScanInput, type SecretRule, type Span } from '../rule';

const HEADER = /-{4,5} ?BEGIN (?:[A-Z0-9]{1,20} ){0,3}PRIVATE KEY(?: BLOCK)? ?-{4,5}/g;
const PUTTY = /PuTTY-User-Key-File-[0-9]: [^\r\n]{1,200}/g;
/** How far a body may reach (bytes); the largest RSA keys are ~6 KB. */
const MAX_BODY = 65536;

const isB64 = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47 || c === 61;
/** Wrapping around key lines in code: space, tab, quotes, `,`, `;`, brackets. (`+` only next to a space or quote.) */
const isWrap = (c: number) => c === 32 || c === 9 || c === 34 || c === 39 || c === 96 || c === 44 || c === 59 || c === 40 || c === 41 || c === 91 || c === 93;
const ARMOR_HEADER = /^[A-Za-z-]{2,40}: /;

/** Where the line that starts at `i` ends: a line break, a `\n`/`\r` escape, or `limit`. */
function lineEnd(text: string, i: number, limit: number): number {
  for (let j = i; j < limit; j++) {
    const c = text.charCodeAt(j);
    if (c === 10 || c === 13 || (c === 92 && (text[j + 1] === 'n' || text[j + 1] === 'r'))) return j;
  }
  return limit;
}

/**
 * The key body that follows a header at `start`: consecutive lines that are each one base64 run once
 * their wrapping is trimmed (armor headers such as `Proc-Type:` allowed before the first). It ends at
 * the first other line, normally the END line. `[first, last)` of the base64, or undefined when too short.
 */
function keyBody(text: string, start: number): Span | undefined {
  const limit = Math.min(text.length, start + MAX_BODY);
  let first = -1;
  let last = -1;
  let total = 0;
  for (let i = start; i < limit; ) {
    const j = lineEnd(text, i, limit);
    let s = i;
    let e = j;
    while (s < e && (isWrap(text.charCodeAt(s)) || (text[s] === '+' && isWrap(text.charCodeAt(s + 1))))) s++;
    while (e > s && (isWrap(text.charCodeAt(e - 1)) || (text[e - 1] === '+' && isWrap(text.charCodeAt(e - 2))))) e--;
    let k = s;
    while (k < e && isB64(text.charCodeAt(k))) k++;
    if (k === e && e > s) {
      if (first < 0) first = s;
      last = e;
      total += e - s;
    } else if (e > s && !(first < 0 && ARMOR_HEADER.test(text.slice(s, e)))) break;
    i = j + (text.charCodeAt(j) === 92 ? 2 : 1);
  }
  if (total < 64) return undefined;
  return isExampleOrFiller(text.slice(first, last).replace(/\s|\\[nr]/g, '')) ? undefined : [first, last];
}

function findPemBodies(input: ScanInput): Span[] {
  const text = input.text;
  const spans: Span[] = [];
  HEADER.lastIndex = 0;
  for (let m = HEADER.exec(text); m; m = HEADER.exec(text)) {
    const body = keyBody(text, m.index + m[0].length);
    if (body) {
      spans.push(body);
      HEADER.lastIndex = body[1];
    }
  }
  return spans;
}

function findPuttyBodies(input: ScanInput): Span[] {
  const text = input.text;
  const spans: Span[] = [];
  let at = -1;
  PUTTY.lastIndex = 0;
  for (let m = PUTTY.exec(text); m; m = PUTTY.exec(text)) {
    if (at < m.index) at = text.indexOf('Private-Lines:', m.index);
    if (at < 0) break;
    if (at - m.index > MAX_BODY) continue;
    const body = keyBody(text, lineEnd(text, at, text.length) + 1);
    if (body) spans.push(body);
  }
  return spans;
}

export const PRIVATE_KEY_RULES: SecretRule[] = [
  { id: 'private-key', priority: PRIORITY.privateKey, tagged: true, keywords: ['PRIVATE KEY'], find: findPemBodies },
  { id: 'private-key', priority: PRIORITY.privateKey, tagged: true, keywords: ['PuTTY-User-Key-File-'], find: findPuttyBodies },
  regexRule({
    id: 'age-secret-key',
    priority: PRIORITY.privateKey,
    pattern: /(?<![A-Za-z0-9_-])AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}(?![A-Za-z0-9])/dg,
  }),
];
