// Format checks that prove a match is a real token rather than a lookalike: the CRC32/base62
// checksum of GitHub and npm tokens, and base64 bodies that must decode to a fixed key size.

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (IEEE, as zlib) of an ASCII string. */
export function crc32(s: string): number {
  let c = 0xffffffff;
  for (let i = 0; i < s.length; i++) c = CRC_TABLE[(c ^ s.charCodeAt(i)) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// GitHub describes the suffix as a base62 CRC32; public write-ups disagree on the digit order of the
// alphabet, so both orders are accepted (the check only ever raises confidence, it never rejects).
const BASE62_ALPHABETS = [
  '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
  '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ',
];

function base62(n: number, alphabet: string, width: number): string {
  let s = '';
  for (let v = n; v > 0; v = Math.floor(v / 62)) s = alphabet[v % 62] + s;
  return s.padStart(width, '0');
}

/** True when the last 6 characters of `body` are the base62 CRC32 of the rest (GitHub `gh?_`, npm `npm_` tokens). */
export function hasBase62Crc32Suffix(body: string): boolean {
  if (body.length <= 6) return false;
  const crc = crc32(body.slice(0, -6));
  const suffix = body.slice(-6);
  return BASE62_ALPHABETS.some((a) => base62(crc, a, 6) === suffix);
}

/** Decoded byte length of a standard or URL-safe base64 string, or -1 when it is not base64. */
export function base64ByteLength(s: string): number {
  const body = s.replace(/=+$/, '');
  if (!/^[A-Za-z0-9+/_-]*$/.test(body) || body.length % 4 === 1) return -1;
  return Math.floor((body.length * 6) / 8);
}

/** Decodes base64url or base64 to a latin1 string (empty when it is not base64). */
export function decodeBase64(s: string): string {
  if (base64ByteLength(s) < 0) return '';
  return Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('latin1');
}
