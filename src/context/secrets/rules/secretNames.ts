// Which identifiers name a secret. The identifier is split into words (snake, kebab, dotted and
// camel case) and only its last word counts: `DB_PASSWORD`, `stripeSecretKey`, `auth.token` do;
// `passwordHint`, `tokenUrl`, `secretName`, `publicKey`, `nextPageToken` do not.

export type SecretKind = 'password' | 'secret';

const PASSWORD_WORDS = new Set(['password', 'passwd', 'pwd', 'passphrase']);
const SECRET_WORDS = new Set([
  'secret',
  'token',
  'credential',
  'credentials',
  'auth',
  'apikey',
  'secretkey',
  'accesskey',
  'privatekey',
  'authkey',
  'authtoken',
  'accesstoken',
  'apitoken',
  'refreshtoken',
  'clientsecret',
  'bearertoken',
  'sessiontoken',
  'apisecret',
]);
/** `<word> key` pairs that name a secret key (and not a map key, a sort key or a public key). */
const KEY_QUALIFIERS = new Set([
  'api',
  'secret',
  'access',
  'private',
  'signing',
  'sign',
  'encryption',
  'encrypt',
  'decryption',
  'master',
  'auth',
  'hmac',
  'jwt',
  'app',
  'client',
  'account',
  'service',
  'subscription',
  'license',
  'licence',
  'storage',
  'session',
  'webhook',
  'shared',
  'consumer',
  'admin',
  'server',
  'crypto',
  'cipher',
  'aes',
  'deploy',
  'otp',
  'totp',
  'mfa',
  'integration',
  'partner',
  'merchant',
  'rest',
  'write',
  'ingest',
  'management',
  'primary',
  'secondary',
  'developer',
  'dev',
  'prod',
  'live',
  'root',
  'user',
  'personal',
  'project',
  'org',
  'organization',
  'workspace',
  'team',
]);
/** `<word> pass` pairs that name a password (and not a render pass, a bypass or a single pass). */
const PASS_QUALIFIERS = new Set([
  'db',
  'database',
  'smtp',
  'mail',
  'email',
  'mysql',
  'pg',
  'postgres',
  'redis',
  'mongo',
  'user',
  'admin',
  'root',
  'ftp',
  'sftp',
  'ldap',
  'proxy',
  'app',
  'api',
  'auth',
  'login',
  'bind',
  'keystore',
  'truststore',
  'key',
  'store',
  'rabbit',
  'rabbitmq',
  'amqp',
  'broker',
  'basic',
  'http',
  'vnc',
  'ssh',
  'wifi',
  'vpn',
  'registry',
  'docker',
  'git',
  'svn',
  'account',
  'service',
  'sa',
  'master',
]);
/** Tokens that are not credentials: pagination cursors, CSRF nonces, lexer tokens. */
const TOKEN_NOT_SECRET = new Set([
  'page',
  'next',
  'prev',
  'continuation',
  'cursor',
  'csrf',
  'xsrf',
  'cancellation',
  'cancel',
  'sync',
  'lexer',
  'parser',
  'eof',
  'start',
  'end',
  'public',
  'test',
  'fake',
  'mock',
  'dummy',
  'max',
  'min',
]);

/** The identifier's words, lowercased, trailing numbers dropped: `dbPassword2` → `db`, `password`. */
export function identifierWords(ident: string): string[] {
  const out: string[] = [];
  for (const part of ident.split(/[_.-]+/))
    for (const w of part.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+/g) ?? []) out.push(w.toLowerCase());
  while (out.length > 0 && /^[0-9]+$/.test(out[out.length - 1]!)) out.pop();
  return out;
}

/** What kind of secret the identifier names, if any. */
export function secretKind(ident: string): SecretKind | undefined {
  const words = identifierWords(ident);
  const last = words[words.length - 1];
  const prev = words[words.length - 2];
  if (!last) return undefined;
  if (
    PASSWORD_WORDS.has(last) ||
    (last === 'pass' && prev !== undefined && PASS_QUALIFIERS.has(prev)) ||
    (last.length > 8 && last.endsWith('password'))
  )
    return 'password';
  if (last === 'key') return prev !== undefined && KEY_QUALIFIERS.has(prev) ? 'secret' : undefined;
  // Rails secret_key_base
  if (last === 'base' && prev === 'key' && words[words.length - 3] === 'secret') return 'secret';
  if (last === 'token' || last === 'secret')
    return prev !== undefined && TOKEN_NOT_SECRET.has(prev) ? undefined : 'secret';
  if (SECRET_WORDS.has(last)) return 'secret';
  if (last.length > 6 && (last.endsWith('secret') || last.endsWith('token'))) return 'secret';
  return undefined;
}
