// Secret detection (the public entry): a path deny-list and a content scan that replaces secrets in
// the pack with stable placeholders. First slice: private-key blocks and .env files only; the full
// rule set replaces the body behind the same two functions.

export interface SecretFinding {
  /** 1-based line of the secret in the original text. */
  line: number;
  /** Rule id, e.g. `private-key-block`. */
  rule: string;
}

/** The deny-list rule that keeps `relPath` (POSIX, relative) out of the pack entirely, if any. */
export function secretFileRule(relPath: string): string | undefined {
  const base = relPath.slice(relPath.lastIndexOf('/') + 1);
  if (/^\.env(\..*)?$/.test(base) && !/\.(example|sample|template)$/.test(base)) return 'env-file';
  return undefined;
}

/** Replaces every secret in `text` with a placeholder; the same secret always gets the same one. */
export function redactSecrets(text: string): { text: string; findings: SecretFinding[] } {
  const findings: SecretFinding[] = [];
  const out = text.replace(/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g, (_m: string, offset: number) => {
    findings.push({ line: text.slice(0, offset).split('\n').length, rule: 'private-key-block' });
    return '[REDACTED:private-key-block]';
  });
  return { text: out, findings };
}
