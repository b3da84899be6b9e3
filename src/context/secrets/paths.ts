// The path deny-list: files that are credentials as a whole (`.env`, private keys, keystores,
// cloud and registry credential files, Terraform state) and stay out of the pack entirely. A few
// are secrets only for some contents (`.npmrc` with a token, a `.pem` holding a private key, a JSON
// service-account key): for those the verdict needs the file's text, and without it the file is
// denied (fail closed).

/** `.env` variants meant to be committed: templates without values. */
const ENV_TEMPLATE = /\.(?:example|sample|template|tmpl|tpl|dist|defaults|schema)$/;
/** Key stores and private-key containers, denied whatever they hold. */
const KEYSTORE_EXT = new Set(['p12', 'pfx', 'pkcs12', 'keystore', 'jks', 'jceks', 'bks', 'ppk', 'p8', 'kdbx']);
/** Extensions that may or may not hold a private key (certificates and public keys are fine). */
const MAYBE_KEY_EXT = new Set(['pem', 'asc', 'ovpn']);
const SSH_KEY = /^id_(?:rsa|dsa|ecdsa|ed25519|ecdsa_sk|ed25519_sk|xmss)$/;
const SSH_DIR_PUBLIC = /^(?:.*\.pub|known_hosts.*|config|authorized_keys.*|environment)$/;

/** Whole paths (suffix match on `/`-separated segments, lowercased) of credential files. */
const CREDENTIAL_PATHS = [
  '.aws/credentials',
  '.docker/config.json',
  '.kube/config',
  '.config/gh/hosts.yml',
  '.config/gcloud/credentials.db',
  '.config/gcloud/access_tokens.db',
  '.config/gcloud/application_default_credentials.json',
  '.terraform.d/credentials.tfrc.json',
  '.cargo/credentials',
  '.cargo/credentials.toml',
  '.gem/credentials',
  '.composer/auth.json',
  '.streamlit/secrets.toml',
  '.config/hub',
  '.m2/settings-security.xml',
];
/** The file names those paths end with: a path ending in none of them (most) is none of those paths. */
const CREDENTIAL_PATH_NAMES = new Set(CREDENTIAL_PATHS.map((p) => p.slice(p.lastIndexOf('/') + 1)));
const CREDENTIAL_NAMES = new Set([
  '.netrc',
  '_netrc',
  '.pgpass',
  '.git-credentials',
  '.dockercfg',
  '.htpasswd',
  '.vault-token',
  '.s3cfg',
  '.boto',
  '.my.cnf',
  '.terraformrc',
  'credentials.json',
  'credentials.yml',
  'credentials.yaml',
  'secrets.yml',
  'secrets.yaml',
  'secrets.json',
  'secrets.toml',
  'application_default_credentials.json',
  'kubeconfig',
  'keyfile.json',
]);
const CREDENTIAL_NAME_PATTERNS = [/^client_secret.*\.json$/, /^service[-_]?account.*\.json$/];

// Content checks for the files whose verdict depends on what they hold.
const NPMRC_TOKEN = /(?:^|:)_(?:authToken|auth|password)[ \t]*=[ \t]*(?!["']?\$\{)["']?[^\s"']/m;
const YARNRC_TOKEN = /npmAuth(?:Token|Ident)[ \t]*:[ \t]*(?!["']?\$\{)["']?[^\s"']/;
const PYPIRC_TOKEN = /^[ \t]*password[ \t]*[=:][ \t]*(?!\$\{|%\()\S/m;
const SERVICE_ACCOUNT =
  /"type"\s*:\s*"service_account"[\s\S]*"private_key"|"private_key"[\s\S]*"type"\s*:\s*"service_account"/;

function extension(base: string): string {
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1) : '';
}

/** Rules that decide by content; `undefined` content means "not read yet" and denies. */
function byContent(base: string, ext: string, content: string | undefined): string | undefined {
  const holds = (re: RegExp, rule: string) => (content === undefined || re.test(content) ? rule : undefined);
  if (base === '.npmrc') return holds(NPMRC_TOKEN, 'npmrc-token');
  if (base === '.yarnrc.yml' || base === '.yarnrc.yaml') return holds(YARNRC_TOKEN, 'yarnrc-token');
  if (base === '.pypirc') return holds(PYPIRC_TOKEN, 'pypirc-token');
  if (MAYBE_KEY_EXT.has(ext)) return holds(/PRIVATE KEY/, 'private-key-file');
  if (ext === 'json' && content?.includes('service_account') && SERVICE_ACCOUNT.test(content))
    return 'service-account-file';
  return undefined;
}

/** True when the verdict for `relPath` may depend on its text (so pass it as `content`). */
export function needsContent(relPath: string): boolean {
  const base = relPath.slice(relPath.lastIndexOf('/') + 1).toLowerCase();
  const ext = extension(base);
  return (
    base === '.npmrc' ||
    base === '.yarnrc.yml' ||
    base === '.yarnrc.yaml' ||
    base === '.pypirc' ||
    MAYBE_KEY_EXT.has(ext) ||
    ext === 'json'
  );
}

/** The deny-list rule for a POSIX relative path, given its text when known. */
export function fileRule(relPath: string, content?: string): string | undefined {
  const lowerPath = relPath.toLowerCase();
  const base = lowerPath.slice(lowerPath.lastIndexOf('/') + 1);
  const ext = extension(base);
  if (base === '.env' || base === '.envrc' || /^\.env[._-]/.test(base))
    return ENV_TEMPLATE.test(base) ? undefined : 'env-file';
  if (SSH_KEY.test(base) || ext === 'key') return 'private-key-file';
  if (KEYSTORE_EXT.has(ext)) return 'keystore-file';
  const folder = lowerPath.slice(0, Math.max(0, lowerPath.length - base.length - 1));
  if ((folder === '.ssh' || folder.endsWith('/.ssh')) && !SSH_DIR_PUBLIC.test(base)) return 'private-key-file';
  if (/\.tfstate(?:\.backup)?$/.test(base)) return 'terraform-state';
  if (CREDENTIAL_NAMES.has(base) || CREDENTIAL_NAME_PATTERNS.some((re) => re.test(base))) return 'credentials-file';
  if (CREDENTIAL_PATH_NAMES.has(base) && CREDENTIAL_PATHS.some((p) => lowerPath === p || lowerPath.endsWith('/' + p)))
    return 'credentials-file';
  return byContent(base, ext, content);
}
