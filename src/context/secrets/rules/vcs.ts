// Version-control hosting tokens: GitHub (classic, OAuth, app, refresh, fine-grained), GitLab
// (personal, deploy, runner, trigger, ... tokens) and Bitbucket/Atlassian app passwords and API tokens.
import { isDocumentedExample, randomEnough } from '../allow';
import { hasBase62Crc32Suffix } from '../checksums';
import { regexRule, type SecretRule } from '../rule';

/** A valid checksum proves a real token (unless it is a published example); without one it must still look random. */
function githubTokenOk(token: string): boolean {
  if (isDocumentedExample(token)) return false;
  return hasBase62Crc32Suffix(token.slice(4)) || randomEnough(3.5)(token);
}

const GITHUB_IDS: Record<string, string> = {
  p: 'github-pat',
  o: 'github-oauth-token',
  u: 'github-app-token',
  s: 'github-app-token',
  r: 'github-refresh-token',
};

export const VCS_RULES: SecretRule[] = [
  regexRule({
    // Classic personal (ghp_), OAuth (gho_), app user-to-server (ghu_) and server-to-server (ghs_), refresh (ghr_).
    id: 'github-pat',
    pattern: /(?<![A-Za-z0-9_-])gh([pousr])_[A-Za-z0-9]{36}(?![A-Za-z0-9_])/dg,
    classify: (token, m) => (githubTokenOk(token) ? GITHUB_IDS[m[1]!] : undefined),
  }),
  regexRule({
    id: 'github-fine-grained-pat',
    pattern: /(?<![A-Za-z0-9_-])github_pat_[A-Za-z0-9_]{82}(?![A-Za-z0-9_])/dg,
    validate: randomEnough(3.5),
  }),
  regexRule({
    id: 'gitlab-token',
    pattern:
      /(?<![A-Za-z0-9_-])(?:(?:glpat|gldt|glrt|glptt|glft|glsoat|glimt|glagent|gloas|glcbt|glffct)-|GR1348941)[A-Za-z0-9_-]{20,300}(?:\.[0-9a-z]{2}\.?[0-9a-z]{7})?(?![A-Za-z0-9_-])/dg,
    validate: randomEnough(3.3),
  }),
  regexRule({
    id: 'bitbucket-app-password',
    pattern: /(?<![A-Za-z0-9_-])ATBB[A-Za-z0-9]{32}(?![A-Za-z0-9])/dg,
    validate: randomEnough(3.5),
  }),
  regexRule({
    // Atlassian API tokens (ATATT3…) and Bitbucket repository/workspace access tokens (ATCTT3…).
    id: 'atlassian-api-token',
    pattern: /(?<![A-Za-z0-9_-])AT[AC]TT3[A-Za-z0-9_=-]{150,250}(?![A-Za-z0-9_=-])/dg,
    validate: randomEnough(4),
  }),
];
