// The path deny-list: which files stay out of the pack entirely, and which need their text to decide.
import * as assert from 'node:assert/strict';
import { secretFileNeedsContent, secretFileRule } from '../../../src/context/secrets';

describe('secretFileRule', () => {
  const DENIED: [string, string][] = [
    ['.env', 'env-file'],
    ['app/.env.local', 'env-file'],
    ['.env.production', 'env-file'],
    ['.env.development.local', 'env-file'],
    ['.envrc', 'env-file'],
    ['deploy/.ENV', 'env-file'],
    ['.ssh/id_rsa', 'private-key-file'],
    ['keys/id_ed25519', 'private-key-file'],
    ['home/.ssh/deploy_key', 'private-key-file'],
    ['config/master.key', 'private-key-file'],
    ['certs/server.key', 'private-key-file'],
    ['certs/client.p12', 'keystore-file'],
    ['certs/client.PFX', 'keystore-file'],
    ['android/release.keystore', 'keystore-file'],
    ['android/upload.jks', 'keystore-file'],
    ['keys/AuthKey_ABC123.p8', 'keystore-file'],
    ['.aws/credentials', 'credentials-file'],
    ['home/.aws/credentials', 'credentials-file'],
    ['.netrc', 'credentials-file'],
    ['.pgpass', 'credentials-file'],
    ['.docker/config.json', 'credentials-file'],
    ['.kube/config', 'credentials-file'],
    ['.git-credentials', 'credentials-file'],
    ['credentials.json', 'credentials-file'],
    ['config/secrets.yml', 'credentials-file'],
    ['.streamlit/secrets.toml', 'credentials-file'],
    ['client_secret_1234-abc.apps.googleusercontent.com.json', 'credentials-file'],
    ['gcp/service-account-prod.json', 'credentials-file'],
    ['.config/gcloud/application_default_credentials.json', 'credentials-file'],
    ['infra/terraform.tfstate', 'terraform-state'],
    ['infra/terraform.tfstate.backup', 'terraform-state'],
  ];
  for (const [path, rule] of DENIED) it(`denies ${path} (${rule})`, () => assert.equal(secretFileRule(path), rule));

  const ALLOWED = [
    '.env.example',
    '.env.sample',
    '.env.template',
    'app/.env.local.example',
    '.env.dist',
    'src/environment.ts',
    '.environment',
    'src/env.ts',
    'id_rsa.pub',
    '.ssh/id_ed25519.pub',
    '.ssh/known_hosts',
    '.ssh/config',
    'talks/intro.ssh/notes',
    'my.aws/credentials',
    'docs/keys.md',
    'src/keyboard.ts',
    'k8s/service-account.yaml',
    'src/credentials.ts',
    'secrets.md',
    'package.json',
    'tsconfig.json',
    'monkey.js',
  ];
  for (const path of ALLOWED) it(`keeps ${path}`, () => assert.equal(secretFileRule(path, '{}'), undefined));

  it('decides .npmrc, .yarnrc.yml and .pypirc by whether they hold a token', () => {
    assert.equal(
      secretFileRule('.npmrc', '//registry.npmjs.org/:_authToken=npm_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789\n'),
      'npmrc-token',
    );
    assert.equal(secretFileRule('.npmrc', '_auth = dXNlcjpwYXNz\n'), 'npmrc-token');
    assert.equal(
      secretFileRule('.npmrc', 'save-exact=true\n//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n'),
      undefined,
    );
    assert.equal(secretFileRule('.npmrc', 'registry=https://registry.npmjs.org/\n'), undefined);
    assert.equal(
      secretFileRule('.yarnrc.yml', 'npmAuthToken: "npm_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"\n'),
      'yarnrc-token',
    );
    assert.equal(secretFileRule('.yarnrc.yml', 'npmAuthToken: "${NPM_TOKEN}"\nnodeLinker: node-modules\n'), undefined);
    assert.equal(
      secretFileRule('.pypirc', '[pypi]\nusername = __token__\npassword = pypi-AgEIcHlwaS5vcmcCJDAwMDAwMDAw\n'),
      'pypirc-token',
    );
    assert.equal(
      secretFileRule('.pypirc', '[distutils]\nindex-servers = pypi\n[pypi]\nusername = __token__\n'),
      undefined,
    );
  });

  it('denies a .pem only when it holds a private key', () => {
    assert.equal(
      secretFileRule('certs/key.pem', '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n'),
      'private-key-file',
    );
    assert.equal(
      secretFileRule('certs/ca.pem', '-----BEGIN CERTIFICATE-----\nMIIE\n-----END CERTIFICATE-----\n'),
      undefined,
    );
    assert.equal(
      secretFileRule('KEYS.asc', '-----BEGIN PGP PUBLIC KEY BLOCK-----\nmQIN\n-----END PGP PUBLIC KEY BLOCK-----\n'),
      undefined,
    );
  });

  it('recognises a service-account key by its content, whatever its name', () => {
    const sa =
      '{\n  "type": "service_account",\n  "project_id": "p",\n  "private_key": "-----BEGIN PRIVATE ' +
      'KEY-----\\nMIIE\\n-----END PRIVATE KEY-----\\n"\n}';
    assert.equal(secretFileRule('deploy/acme-prod-4821-1a2b3c4d5e6f.json', sa), 'service-account-file');
    assert.equal(secretFileRule('deploy/acme-prod-4821-1a2b3c4d5e6f.json', '{"type": "module"}'), undefined);
  });

  it('fails closed when content is needed but not given, and says when it is needed', () => {
    for (const path of ['.npmrc', '.pypirc', '.yarnrc.yml', 'certs/key.pem', 'keys/backup.asc']) {
      assert.equal(secretFileNeedsContent(path), true, path);
      assert.ok(secretFileRule(path), path);
    }
    assert.equal(secretFileNeedsContent('src/main.ts'), false);
    assert.equal(secretFileNeedsContent('.env'), false);
    assert.equal(secretFileRule('deploy/sa.json'), undefined); // JSON is only judged by content
  });
});
