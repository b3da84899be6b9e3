// Credentials written into HTTP authorization headers (`Authorization: Bearer …`, `Basic …`), as
// found in curl examples, HTTP client code, Postman exports and `.http` files. Tokens with a known
// format are caught first by their own rules; this catches the opaque ones.
import { isPlaceholderPassword, isPlaceholderValue } from '../allow';
import { decodeBase64 } from '../checksums';
import { isWordLike, shannonEntropy } from '../entropy';
import { PRIORITY, regexRule, type SecretRule } from '../rule';

function basicCredentialsOk(b64: string): boolean {
  const decoded = decodeBase64(b64);
  const colon = decoded.indexOf(':');
  if (colon <= 0 || colon === decoded.length - 1 || !/^[\x20-\x7e]+$/.test(decoded)) return false;
  return !isPlaceholderPassword(decoded.slice(colon + 1), decoded.slice(0, colon));
}

export const HEADER_RULES: SecretRule[] = [
  regexRule({
    id: 'authorization-header',
    priority: PRIORITY.header,
    tagged: false,
    pattern:
      /(?<![A-Za-z0-9_-])(?:Bearer|bearer|BEARER)[ \t]+(?<s>[A-Za-z0-9._~+/-]{16,1000}=*)(?![A-Za-z0-9._~+/=-])/dg,
    validate: (s) => !isPlaceholderValue(s) && !isWordLike(s) && /[0-9]/.test(s) && shannonEntropy(s) >= 3.3,
  }),
  regexRule({
    id: 'authorization-header',
    priority: PRIORITY.header,
    tagged: false,
    pattern: /(?<![A-Za-z0-9_-])(?:Basic|basic|BASIC)[ \t]+(?<s>[A-Za-z0-9+/]{8,1000}={0,2})(?![A-Za-z0-9+/=])/dg,
    validate: basicCredentialsOk,
  }),
];
