// JSON Web Tokens: three base64url parts whose header decodes to JSON naming an algorithm. A signed
// JWT is a bearer credential until it expires. Unsigned tokens (empty signature) are not matched.
import { isExampleOrFiller } from '../allow';
import { decodeBase64 } from '../checksums';
import { PRIORITY, regexRule, type SecretRule } from '../rule';

function hasJwtHeader(token: string): boolean {
  try {
    const header: unknown = JSON.parse(decodeBase64(token.slice(0, token.indexOf('.'))));
    return typeof header === 'object' && header !== null && typeof (header as { alg?: unknown }).alg === 'string';
  } catch {
    return false; // not JSON: not a JWT (the parser's message may quote the input, so it is dropped)
  }
}

export const JWT_RULES: SecretRule[] = [
  regexRule({
    id: 'jwt',
    priority: PRIORITY.jwt,
    pattern:
      /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{10,500}\.ey[A-Za-z0-9_-]{10,8000}\.[A-Za-z0-9_-]{16,2000}(?![A-Za-z0-9_.-])/dg,
    validate: (s) => !isExampleOrFiller(s) && hasJwtHeader(s),
  }),
];
