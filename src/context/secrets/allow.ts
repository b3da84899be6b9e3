// Allowances: values that have the shape of a secret but are not one. Documented example keys,
// filler (`xxxx`, `0000`, `abcdef…`), references to a secret kept elsewhere (`${VAR}`,
// `process.env.X`, `{{ secrets.X }}`) and placeholder words (`your-api-key-here`, `changeme`).
import { longestSequentialRun, shannonEntropy } from './entropy';

/** Keys published in vendor documentation and tutorials; they grant nothing. */
const DOCUMENTED_EXAMPLES = new Set([
  'AKIAIOSFODNN7EXAMPLE',
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  // Azurite (Azure Storage emulator) and Cosmos DB emulator well-known keys.
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==',
  'C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==',
  // jwt.io's default token.
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
  // Stripe's public documentation test keys.
  'sk_test_4eC39HqLyjWDarjtT1zdp7dc',
  'sk_test_BQokikJOvBiI2HlWgH4olfQ2',
  'sk_test_26PHem9AhJZvU623DfE1x4sd',
  // GitHub's documentation token body (gho_/ghp_ examples) and Mailgun's old docs key.
  'gho_16C7e42F292c6912E7710c838347Ae178B4a',
  'ghp_16C7e42F292c6912E7710c838347Ae178B4a',
  'key-3ax6xnjp29jd6fds4gc373sgvjxteol0',
  // RFC 4122's example UUID.
  '123e4567-e89b-12d3-a456-426614174000',
  // OAuth examples from RFC 6749 and RFC 5849, copied into countless library docs and tests.
  '2YotnFZFEjr1zCsicMWpAA', 'tGzv3JOkF0XG5Qx2TlKWIA', 'SplxlOBeZQQYbYS6WxSbIA', 'czZCaGRSa3F0MzpnWDFmQmF0M2JW', 'gX1fBat3bV',
  '7Fjfp0ZBr1KtDRbnfVdmIw', 'dpf43f3p2l4k3l03', 'kd94hf93k423kf44', 'hh5s93j4hdidpola', 'hdhd0244k9j7ao03', 'nnch734d00sl2jdk',
  'pfkkdhi9sl3r4s00', '0685bd9184jfhq22', 'ad180jjd733klru7', 'kllo9940pd9333jh', 'j49sk3j29djd',
]);

/** True for keys published in vendor documentation, RFCs and tutorials. */
export const isDocumentedExample = (s: string) => DOCUMENTED_EXAMPLES.has(s);

/**
 * True when a token-shaped string is a known documentation example or obvious filler:
 * contains EXAMPLE, `xxxx`, `****`, eight zeros, a six-long sequence (`abcdef`, `123456`) or one repeated character.
 */
export function isExampleOrFiller(s: string): boolean {
  if (DOCUMENTED_EXAMPLES.has(s)) return true;
  if (/example/i.test(s)) return true;
  if (/x{4}|X{4}|\*{3}|0{8}|\.\.\.|…/.test(s)) return true;
  if (/^(.)\1*$/.test(s)) return true;
  return longestSequentialRun(s) >= 6;
}

/** A check for vendor tokens: not an example or filler, and at least `minEntropy` bits per character. */
export const randomEnough = (minEntropy: number) => (token: string) => !isExampleOrFiller(token) && shannonEntropy(token) >= minEntropy;

// `${VAR}`, `$VAR`, `%VAR%`, `{{ x }}`, `<token>`, `#{x}`, `@VAR@`, `%(x)s`, `%s`, `[REDACTED…`, `ENC[…]`, `!vault`…
const REFERENCE = /^(?:\$\{|\$\(|\$\{\{|\{\{|\{%|<[^>]*>?$|#\{|%\(|%[sdv]$|%[A-Z_][A-Z0-9_]*%$|@[A-Z_]+@$|\$[A-Za-z_][A-Za-z0-9_]*$|\[REDACTED|ENC\[|![A-Za-z]+$|\$ANSIBLE_VAULT|vault:|ssm:|arn:|sm:\/\/|secretsmanager:|op:\/\/|ref\+)/;
const CODE_REFERENCE = /process\.env|import\.meta\.env|os\.environ|os\.getenv|getenv\(|System\.getenv|ENV\[|Environment\.GetEnvironmentVariable|secrets\.|\$\{|\{\{/;
const PLACEHOLDER_WORDS =
  /example|sample|placeholder|change[-_ ]?me|changeit|dummy|fake|redacted|replace|your|insert|todo|fixme|mock|lorem|foobar|secret|passw|token|test|demo|default|dev[-_]?only|sandbox|local|\*\*\*|\.\.\.|…/i;

/** Text hidden in base64 (`bm90IG15IHJlYWwgcGFzc3dvcmQ=` is "not my real password"), or '' when the value is not base64 of text. */
function base64Text(v: string): string {
  if (v.length < 12 || v.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(v)) return '';
  const text = Buffer.from(v, 'base64').toString('latin1');
  return /^[\x20-\x7e]+$/.test(text) ? text : '';
}

/** True when an assigned value is a placeholder, a reference to a secret kept elsewhere, or filler (also inside base64). */
export function isPlaceholderValue(v: string): boolean {
  if (v.length === 0) return true;
  if (REFERENCE.test(v) || CODE_REFERENCE.test(v)) return true;
  if (PLACEHOLDER_WORDS.test(v) || PLACEHOLDER_WORDS.test(base64Text(v))) return true;
  return isExampleOrFiller(v);
}

/** Passwords that ship as defaults of local development containers and tutorials. */
const DEV_DEFAULTS = new Set([
  'admin', 'administrator', 'root', 'guest', 'postgres', 'postgresql', 'mysql', 'mariadb', 'mongo', 'mongodb', 'redis',
  'rabbitmq', 'sa', 'user', 'username', 'pass', 'pwd', 'pw', 'dev', 'developer', 'docker', 'tiger', 'scott', 'letmein',
  'qwerty', 'welcome', 'master', 'login', 'p', 'x', 'foo', 'bar', 'baz', 'qux', 'hello', 'world', 'abc',
]);

/** True when a password in a URL or connection string is a placeholder (`proxypass`, `<password>`) or a development default. */
export function isPlaceholderPassword(password: string, user = ''): boolean {
  if (password === user || DEV_DEFAULTS.has(password.toLowerCase()) || /pass|pwd|anon/i.test(password)) return true;
  return isPlaceholderValue(password);
}
