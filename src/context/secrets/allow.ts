// Allowances: values that have the shape of a secret but are not one. Documented example keys,
// filler (`xxxx`, `0000`, `abcdef…`), references to a secret kept elsewhere (`${VAR}`,
// `process.env.X`, `{{ secrets.X }}`) and placeholder words (`your-api-key-here`, `changeme`).
import { createHash } from 'node:crypto';
import { longestSequentialRun, shannonEntropy } from './entropy';

/**
 * Keys published in vendor documentation, RFCs and tutorials: they grant nothing. Kept as SHA-256
 * digests (first 128 bits, hex) rather than literals, so the shipped bundle contains no token-shaped
 * strings for secret scanners (vsce's among them) to flag. test/unit/secrets*.test.ts holds the literals.
 */
const DOCUMENTED_EXAMPLES = new Set([
  // AWS documentation access key id and secret key.
  '1a5d44a2dca19669d72edf4c4f1c27c4',
  '78314b11be2e581549ac1c4f616563fa',
  // Azurite (Azure Storage emulator) and Cosmos DB emulator well-known keys.
  '0011cc25eb4320717494d2703e8cba85',
  'aa6547439583c3a275d4542a0df6c1ad',
  // jwt.io's default token.
  '7f75367e7881255134e1375e723d1dea',
  // Stripe's public documentation test keys.
  '2cafc0970149a84f3b9e62eaf169f36f',
  'f2d6ca16515033e5dce14eba840b979d',
  '7e8de44ea9ecf6d53415c90f5b249a85',
  // GitHub's documentation tokens (gho_/ghp_ examples) and Mailgun's old docs key.
  'bc3ae723f57c6b9e3fd80b699fcc420f',
  '3543c50b0cb9cea8e55eb1f529b79f04',
  '9c846fdf0fa8955c377d0301542ee20e',
  // RFC 4122's example UUID.
  '986c0dc956dc822b5d8f698661b9eb1e',
  // OAuth examples from RFC 6749 and RFC 5849, copied into countless library docs and tests.
  '6c96130f130ab0d6d158397e24d2bcc1',
  '00cf4c781dc37003f7c7dd7d4c9a6ef1',
  'a35b81a7d7927b70ec99270dd2362b88',
  'ca7459e2b26776de081b9a07e40227fd',
  '53f5da0aaa93d64cd5772c554cbf940f',
  'e9974c507d2a802143f614c878fcbb62',
  '293257ab6495ebb11cf9e4aee0686ca3',
  'cb87c87e4a138d9a72259d2a01bab156',
  '4c20e6f5cc11b93731e74cbe20739821',
  '6aa14267d94944e6b6483c81f5ad37f8',
  'bb9b1163338b2a51495834ad5c654204',
  '649e1f5c769e718ba10d1a702a36499a',
  '8d567eb88afff34f31ab97fbb2731e58',
  '9d03b692e941d5ace207a9f804883443',
  '128e8e99b7b9ff47335bfb2e33ffe28b',
  'c20fbc2b96183894fb46187909d02afb',
]);

const digest = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 32);

/** True for keys published in vendor documentation, RFCs and tutorials. */
export const isDocumentedExample = (s: string) => DOCUMENTED_EXAMPLES.has(digest(s));

/**
 * True when a token-shaped string is a known documentation example or obvious filler:
 * contains EXAMPLE, `xxxx`, `****`, eight zeros, a six-long sequence (`abcdef`, `123456`) or one repeated character.
 */
export function isExampleOrFiller(s: string): boolean {
  if (isDocumentedExample(s)) return true;
  if (/example/i.test(s)) return true;
  if (/x{4}|X{4}|\*{3}|0{8}|\.\.\.|…/.test(s)) return true;
  if (/^(.)\1*$/.test(s)) return true;
  return longestSequentialRun(s) >= 6;
}

/** A check for vendor tokens: not an example or filler, and at least `minEntropy` bits per character. */
export const randomEnough = (minEntropy: number) => (token: string) =>
  !isExampleOrFiller(token) && shannonEntropy(token) >= minEntropy;

// `${VAR}`, `$VAR`, `%VAR%`, `{{ x }}`, `<token>`, `#{x}`, `@VAR@`, `%(x)s`, `%s`, `[REDACTED…`, `ENC[…]`, `!vault`…
const REFERENCE =
  /^(?:\$\{|\$\(|\$\{\{|\{\{|\{%|<[^>]*>?$|#\{|%\(|%[sdv]$|%[A-Z_][A-Z0-9_]*%$|@[A-Z_]+@$|\$[A-Za-z_][A-Za-z0-9_]*$|\[REDACTED|ENC\[|![A-Za-z]+$|\$ANSIBLE_VAULT|vault:|ssm:|arn:|sm:\/\/|secretsmanager:|op:\/\/|ref\+)/;
const CODE_REFERENCE =
  /process\.env|import\.meta\.env|os\.environ|os\.getenv|getenv\(|System\.getenv|ENV\[|Environment\.GetEnvironmentVariable|secrets\.|\$\{|\{\{/;
const PLACEHOLDER_WORDS =
  /example|sample|placeholder|change[-_ ]?me|changeit|dummy|fake|redacted|replace|your|insert|todo|fixme|mock|lorem|foobar|secret|passw|token|test|demo|default|dev[-_]?only|sandbox|local|\*\*\*|\.\.\.|…/i;

/**
 * Text hidden in base64 (`bm90IG15IHJlYWwgcGFzc3dvcmQ=` is "not my real password"), or '' when the value is not base64
 * of text.
 */
function base64Text(v: string): string {
  if (v.length < 12 || v.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(v)) return '';
  const text = Buffer.from(v, 'base64').toString('latin1');
  return /^[\x20-\x7e]+$/.test(text) ? text : '';
}

/**
 * True when an assigned value is a placeholder, a reference to a secret kept elsewhere, or filler (also inside base64).
 */
export function isPlaceholderValue(v: string): boolean {
  if (v.length === 0) return true;
  if (REFERENCE.test(v) || CODE_REFERENCE.test(v)) return true;
  if (PLACEHOLDER_WORDS.test(v) || PLACEHOLDER_WORDS.test(base64Text(v))) return true;
  return isExampleOrFiller(v);
}

/** Passwords that ship as defaults of local development containers and tutorials. */
const DEV_DEFAULTS = new Set([
  'admin',
  'administrator',
  'root',
  'guest',
  'postgres',
  'postgresql',
  'mysql',
  'mariadb',
  'mongo',
  'mongodb',
  'redis',
  'rabbitmq',
  'sa',
  'user',
  'username',
  'pass',
  'pwd',
  'pw',
  'dev',
  'developer',
  'docker',
  'tiger',
  'scott',
  'letmein',
  'qwerty',
  'welcome',
  'master',
  'login',
  'p',
  'x',
  'foo',
  'bar',
  'baz',
  'qux',
  'hello',
  'world',
  'abc',
]);

/**
 * True when a password in a URL or connection string is a placeholder (`proxypass`, `<password>`) or a development
 * default.
 */
export function isPlaceholderPassword(password: string, user = ''): boolean {
  if (password === user || DEV_DEFAULTS.has(password.toLowerCase()) || /pass|pwd|anon/i.test(password)) return true;
  return isPlaceholderValue(password);
}
