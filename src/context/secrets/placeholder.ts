// The text that replaces a secret. It must be stable (same secret, same placeholder, on every run
// and machine, so the pack stays byte-stable and the prompt cache keeps hitting) and it must not
// leak the secret:
// - Rule id always: the model still knows a GitHub token or a database password was there.
// - A short tag (32 bits of a domain-separated SHA-256) only for vendor-issued random secrets
//   (≥ ~128 bits): it lets the model tell two different keys apart, and it cannot be reversed or
//   brute-forced. User-chosen values (passwords, generic assignments, AWS key ids) get no tag, since
//   a hash of a guessable password is a dictionary-attack oracle.
// - Line breaks inside the secret (a PEM body) are kept, so every line after it keeps its number.
import { createHash } from 'node:crypto';

const TAG_DOMAIN = 'deepseek-repo/secret-placeholder/v1\0';

/**
 * The placeholder for `secret` found by rule `id`: `[REDACTED:id]`, or `[REDACTED:id:1a2b3c4d]` when `tagged`, plus its
 * line breaks.
 */
export function placeholderFor(id: string, tagged: boolean, secret: string): string {
  const tag = tagged
    ? ':' +
      createHash('sha256')
        .update(TAG_DOMAIN + secret)
        .digest('hex')
        .slice(0, 8)
    : '';
  const breaks = secret.match(/\r\n|\r|\n/g);
  return `[REDACTED:${id}${tag}]${breaks ? breaks.join('') : ''}`;
}
