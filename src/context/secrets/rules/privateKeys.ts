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

const isB64 = (c: number) =>
  (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47 || c === 61;
/** Wrapping around key lines in code: space, tab, quotes, `,`, `;`, brackets. (`+` only next to a space or quote.) */
const isWrap = (c: number) =>
  c === 32 ||
  c === 9 ||
  c === 34 ||
  c === 39 ||
  c === 96 ||
  c === 44 ||
  c === 59 ||
  c === 40 ||
  c === 41 ||
  c === 91 ||
  c === 93;
/** `Proc-Type: 4,ENCRYPTED`, `Version: GnuPG v2`: up to the line break, or a `\n` escape inside a string. */
const ARMOR_HEADER = /[A-Za-z-]{2,40}: (?:[^\r\n\\"'`]|\\(?![nr])){0,200}/y;

/** Length of the line break at `i`: a real one, or a `\n`/`\r` escape inside a string; 0 if none. */
function breakLength(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === 13 && text.charCodeAt(i + 1) === 10) return 2;
  if (c === 10 || c === 13) return 1;
  return c === 92 && (text[i + 1] === 'n' || text[i + 1] === 'r') ? 2 : 0;
}

/** Wrapping at `i`, where `+` counts only as concatenation (next to a space or quote), not as base64. */
const wrapAt = (text: string, i: number) =>
  isWrap(text.charCodeAt(i)) || (text[i] === '+' && (isWrap(text.charCodeAt(i - 1)) || isWrap(text.charCodeAt(i + 1))));

/**
 * The key body that follows a header at `start`: consecutive lines that are each one base64 run once
 * their wrapping is trimmed (armor headers such as `Proc-Type:` allowed before the first). It ends
 * before the first other line, normally the END line. Each line is read once, so junk stops it at once.
 * `[first, last)` of the base64, or undefined when too short.
 */
function keyBody(text: string, start: number): Span | undefined {
  const limit = Math.min(text.length, start + MAX_BODY);
  let first = -1;
  let last = -1;
  let total = 0;
  for (let i = start; i < limit;) {
    let p = i;
    while (p < limit && wrapAt(text, p)) p++;
    ARMOR_HEADER.lastIndex = p;
    if (first < 0 && ARMOR_HEADER.test(text)) {
      let q = ARMOR_HEADER.lastIndex;
      while (q < limit && wrapAt(text, q)) q++;
      if (breakLength(text, q)) {
        i = q + breakLength(text, q);
        continue;
      }
    }
    const s = p;
    while (p < limit && isB64(text.charCodeAt(p)) && !(text[p] === '+' && wrapAt(text, p))) p++;
    const e = p;
    while (p < limit && wrapAt(text, p)) p++;
    const eol = breakLength(text, p);
    if (p < limit && !eol) break;
    if (e > s) {
      if (first < 0) first = s;
      last = e;
      total += e - s;
    }
    i = p + Math.max(eol, 1);
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
    const nl = text.indexOf('\n', at);
    const body = nl < 0 || nl - at > 40 ? undefined : keyBody(text, nl + 1);
    if (body) spans.push(body);
  }
  return spans;
}

export const PRIVATE_KEY_RULES: SecretRule[] = [
  { id: 'private-key', priority: PRIORITY.privateKey, tagged: true, keywords: ['PRIVATE KEY'], find: findPemBodies },
  {
    id: 'private-key',
    priority: PRIORITY.privateKey,
    tagged: true,
    keywords: ['PuTTY-User-Key-File-'],
    find: findPuttyBodies,
  },
  regexRule({
    id: 'age-secret-key',
    priority: PRIORITY.privateKey,
    pattern: /(?<![A-Za-z0-9_-])AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}(?![A-Za-z0-9])/dg,
  }),
];
