// Secret detection, the public entry: a path deny-list that keeps credential files out of the pack,
// and a content scan that replaces secrets with stable placeholders. The rules, the scanner and
// their reasoning live in ./secrets/ (see rules/*.ts for each family, placeholder.ts for what a
// placeholder may reveal, allow.ts for the example/placeholder allowances).
import { fileRule, needsContent } from './secrets/paths';
import { redactText, type SecretFinding } from './secrets/scanner';

export type { SecretFinding } from './secrets/scanner';

/**
 * Names this scanner: a text it found clean is not scanned again while the ID stays (tokenCache.ts keeps such
 * verdicts by content hash). It is a hash of the scanner's sources (this file and ./secrets/), written down; a unit
 * test (read/keptIds.test.ts) fails when they change, asking for the new value, so a changed rule never trusts
 * an old verdict.
 */
export const SCANNER_ID = 'b71bc704ca9f';
export { SecretScanError } from './secrets/scanner';

/**
 * The deny-list rule that keeps `relPath` (POSIX, relative) out of the pack entirely, if any
 * (`env-file`, `private-key-file`, `keystore-file`, `credentials-file`, `terraform-state`,
 * `npmrc-token`, `yarnrc-token`, `pypirc-token`, `service-account-file`).
 * `content` is the file's text: `.npmrc`, `.yarnrc.yml`, `.pypirc` and `.pem`/`.asc`/`.ovpn` files are
 * denied only when they hold a token or private key, and denied when `content` is omitted (fail
 * closed); JSON service-account keys are recognised only from `content`.
 */
export function secretFileRule(relPath: string, content?: string): string | undefined {
  return fileRule(relPath, content);
}

/** True when `secretFileRule(relPath, content)` may decide differently from `secretFileRule(relPath)`. */
export function secretFileNeedsContent(relPath: string): boolean {
  return needsContent(relPath);
}

/**
 * Replaces every secret in `text` with a placeholder (`[REDACTED:rule]`, or `[REDACTED:rule:tag]` for
 * random vendor tokens); the same secret always gets the same placeholder and line breaks inside a
 * secret are kept, so line numbers do not move. Findings carry only line (1-based) and rule.
 * Throws TypeError for a non-string and SecretScanError (naming the rule only) if a rule fails.
 */
export function redactSecrets(text: string): { text: string; findings: SecretFinding[] } {
  if (typeof text !== 'string')
    throw new TypeError(`redactSecrets expects a string, got ${text === null ? 'null' : typeof text}`);
  return redactText(text);
}
