// Behaviour of the content scan: what each family catches, what placeholders look like and what they
// keep stable, line numbers (LF, CRLF, CR), multi-line keys, and that secrets never leak into
// findings or errors.
import * as assert from 'node:assert/strict';
import { redactSecrets, SecretScanError } from '../../../src/context/secrets';

/** Fixed samples, one per family at least: [text, rule id, the secret that must disappear]. */
const CASES: [string, string, string][] = [
  ['AWS_ACCESS_KEY_ID=AKIAQ4JXZ7KLM2NPQ5RS', 'aws-access-key-id', 'AKIAQ4JXZ7KLM2NPQ5RS'],
  [
    'aws_secret_access_key = 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',
    'aws-secret-access-key',
    'Zk3/9qPxLm2Rt7Yb1Wc8Vn4Hs6Jd0Fg5Ka2Qe9Tu',
  ],
  [
    'const maps = "AIzaSyB3kQ9x_Lm2Rt7Yb1Wc8Vn4Hs6Jd0Fg5Ka";',
    'google-api-key',
    'AIzaSyB3kQ9x_Lm2Rt7Yb1Wc8Vn4Hs6Jd0Fg5Ka',
  ],
  ['token: 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', 'github-pat', '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'],
  ['GITLAB=glpat-Xk39sLq02mZp7RtYv1Wb', 'gitlab-token', 'glpat-Xk39sLq02mZp7RtYv1Wb'],
  [
    'SLACK_BOT_TOKEN=xoxb-18273645512-8273645512345-Qz8pLmN3kR7tYv2WbX9sJd4H',
    'slack-token',
    'xoxb-18273645512-8273645512345-Qz8pLmN3kR7tYv2WbX9sJd4H',
  ],
  [
    'url: https://hooks.slack.com/services/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',
    'slack-webhook-url',
    'T04K9QZ7LMX/B05H2R8TPQZ/qW3eR5tY7uI9oP1aS2dF4gH6',
  ],
  [
    'stripe.api_key = "sk_live_51HqLmN3kR7tYv2WbX9sJd4HqZ8pLmN3kR7tYv2Wb"',
    'stripe-secret-key',
    'sk_live_51HqLmN3kR7tYv2WbX9sJd4HqZ8pLmN3kR7tYv2Wb',
  ],
  [
    'OPENAI_API_KEY=sk-proj-Qz8pLmN3kR7tYv2WbX9sJd4HqZ8pLmN3kR7tYv2WbX9sJd4HqZ8pLmN3kR7tYv2WbX9sJd4H',
    'openai-api-key',
    'sk-proj-Qz8pLmN3kR7tYv2WbX9sJd4HqZ8pLmN3kR7tYv2WbX9sJd4HqZ8pLmN3kR7tYv2WbX9sJd4H',
  ],
  ['DEEPSEEK_API_KEY=sk-3f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c', 'deepseek-api-key', 'sk-3f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c'],
  ['HF_TOKEN=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', 'huggingface-token', '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'],
  [
    'SENDGRID=SG.Qz8pLmN3kR7tYv2WbX9sJd.4HqZ8pLmN3kR7tYv2WbX9sJd4HqZ8pLmN3kR7tYv2Wb',
    'sendgrid-api-key',
    'SG.Qz8pLmN3kR7tYv2WbX9sJd.4HqZ8pLmN3kR7tYv2WbX9sJd4HqZ8pLmN3kR7tYv2Wb',
  ],
  ['DATABASE_URL=postgres://app:Xy7#kL9pQ2@db.internal:5432/app', 'url-password', 'Xy7#kL9pQ2'],
  [
    '"Server=tcp:db,1433;User ID=admin;Password=Sup3r$ecretPw;Encrypt=True;"',
    'connection-string-password',
    'Sup3r$ecretPw',
  ],
  ['password: hunter2x', 'generic-password', 'hunter2x'],
  ['client_secret = "4f3a2b1c0d9e8f7a6b5c3f9a8b7c6d5e"', 'generic-secret', '4f3a2b1c0d9e8f7a6b5c3f9a8b7c6d5e'],
];

const JWT =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1LTQyIiwiaWF0IjoxNzAwMDAwMDAwfQ.' +
  'Qz8pLmN3kR7tYv2WbX9sJd4HqZ8pLmN3kR7tYv2WbX9';
const KEY_BODY = [
  'MIIEpAIBAAKCAQEA1c8Zk3/9qPxLm2Rt7Yb1Wc8Vn4Hs6Jd0Fg5Ka2Qe9TuZk3/9qP',
  'xLm2Rt7Yb1Wc8Vn4Hs6Jd0Fg5Ka2Qe9TuZk3/9qPxLm2Rt7Yb1Wc8Vn4Hs6Jd0Fg5K',
  'a2Qe9TuZk3/9qPxLm2Rt7Yb1Wc8Vn4Hs6Jd0Fg5Ka2Qe9Tu==',
];
const PEM = `-----BEGIN RSA PRIVATE KEY-----\n${KEY_BODY.join('\n')}\n-----END RSA PRIVATE KEY-----`;

describe('redactSecrets', () => {
  for (const [text, rule, secret] of CASES) {
    it(`finds ${rule}`, () => {
      const r = redactSecrets(text);
      assert.deepEqual(r.findings, [{ line: 1, rule }]);
      assert.ok(!r.text.includes(secret), r.text);
      assert.ok(r.text.includes(`[REDACTED:${rule}`), r.text);
    });
  }

  it('finds a JWT and keeps the surrounding header', () => {
    const r = redactSecrets(`Authorization: Bearer ${JWT}`);
    assert.deepEqual(r.findings, [{ line: 1, rule: 'jwt' }]);
    assert.match(r.text, /^Authorization: Bearer \[REDACTED:jwt:[0-9a-f]{8}\]$/);
  });

  it('replaces only the password of a connection URL', () => {
    assert.equal(
      redactSecrets('mongodb+srv://svc:K7q!x9Lm2@cluster0.a1b2c.mongodb.net/app').text,
      'mongodb+srv://svc:[REDACTED:url-password]@cluster0.a1b2c.mongodb.net/app',
    );
  });

  it('gives the same secret the same placeholder, in one text and across calls', () => {
    const text = `a = "${JWT}"\nb = "${JWT}"`;
    const one = redactSecrets(text).text.split('\n');
    assert.equal(one[0]!.slice(4), one[1]!.slice(4));
    assert.equal(redactSecrets(text).text, redactSecrets(text).text);
    assert.equal(redactSecrets(`x: ${JWT}`).text.slice(3), one[0]!.slice(5, -1));
  });

  it('tags random vendor tokens so different keys stay distinguishable, and never tags passwords', () => {
    const a = redactSecrets('t = 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').text;
    const b = redactSecrets('t = ghp_aQWBuTSOoRi4A9spHcVY5ncnsDkxkJ0mLq18').text;
    assert.match(a, /\[REDACTED:github-pat:[0-9a-f]{8}\]/);
    assert.notEqual(a, b);
    // A low-entropy password gets no hash tag: a tag would let anyone confirm a guess offline.
    assert.equal(redactSecrets('password: hunter2x').text, 'password: [REDACTED:generic-password]');
    assert.equal(redactSecrets('password: hunter3x').text, 'password: [REDACTED:generic-password]');
  });

  it('is idempotent: a redacted text has nothing left to redact', () => {
    const text = [...CASES.map((c) => c[0]), PEM, `jwt=${JWT}`].join('\n');
    const once = redactSecrets(text);
    assert.equal(once.findings.length, CASES.length + 2);
    const twice = redactSecrets(once.text);
    assert.deepEqual(twice.findings, []);
    assert.equal(twice.text, once.text);
  });

  it('reports 1-based lines with LF, CRLF and lone CR line endings', () => {
    for (const eol of ['\n', '\r\n', '\r']) {
      const text = [
        'first',
        'password: hunter2x',
        '',
        'nothing here',
        'token = "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"',
      ].join(eol);
      const r = redactSecrets(text);
      assert.deepEqual(
        r.findings,
        [
          { line: 2, rule: 'generic-password' },
          { line: 5, rule: 'github-pat' },
        ],
        JSON.stringify(eol),
      );
      assert.equal(r.text.split(eol).length, 5);
    }
  });

  it('replaces a PEM body, keeps BEGIN/END and every line number after it', () => {
    for (const eol of ['\n', '\r\n']) {
      const text = ['# key', PEM, 'after: 1'].join('\n').replace(/\n/g, eol);
      const r = redactSecrets(text);
      assert.deepEqual(r.findings, [{ line: 3, rule: 'private-key' }]);
      const lines = r.text.split(eol);
      assert.equal(lines.length, text.split(eol).length);
      assert.equal(lines[1], '-----BEGIN RSA PRIVATE KEY-----');
      assert.match(lines[2]!, /^\[REDACTED:private-key:[0-9a-f]{8}\]$/);
      assert.equal(lines[5], '-----END RSA PRIVATE KEY-----');
      assert.equal(lines[6], 'after: 1');
      for (const body of KEY_BODY) assert.ok(!r.text.includes(body));
    }
  });

  it('finds keys written inside code and config: YAML block, JSON escapes, concatenation', () => {
    const yaml = `tls:\n  key: |\n${PEM.split('\n')
      .map((l) => '    ' + l)
      .join('\n')}`;
    const json = `{"private_key": "${PEM.replace(/\n/g, '\\n')}\\n", "client_email": "x@y.iam.gserviceaccount.com"}`;
    const java = `String k = ${PEM.split('\n')
      .map((l) => `"${l}\\n"`)
      .join(' +\n    ')};`;
    for (const text of [yaml, json, java]) {
      const r = redactSecrets(text);
      assert.equal(r.findings.length, 1, text);
      assert.equal(r.findings[0]!.rule, 'private-key');
      for (const body of KEY_BODY) assert.ok(!r.text.includes(body), r.text);
      assert.ok(r.text.includes('BEGIN RSA PRIVATE KEY') && r.text.includes('END RSA PRIVATE KEY'));
    }
    assert.deepEqual(redactSecrets(json).findings, [{ line: 1, rule: 'private-key' }]);
  });

  it('redacts every value of a Kubernetes Secret, and nothing of other kinds or Helm templates', () => {
    const yaml = [
      'kind: ConfigMap',
      'data:',
      '  mode: production',
      '---',
      'kind: Secret',
      'data:',
      '  DATABASE_URL: cG9zdGdyZXM6Ly9hcHA6aHVudGVyMkBkYg==',
      '  helm: {{ .Values.token | b64enc }}',
      'stringData:',
      '  config.yaml: |',
      '    region: eu-west-1',
      '  plain: "s3cr3t-Value-x9"',
      '---',
      'kind: Service',
    ].join('\n');
    const r = redactSecrets(yaml);
    assert.deepEqual(
      r.findings.map((f) => f.line),
      [7, 11, 12],
    );
    assert.ok(r.findings.every((f) => f.rule === 'kubernetes-secret'));
    assert.ok(r.text.includes('  mode: production') && r.text.includes('{{ .Values.token | b64enc }}'));
    assert.ok(r.text.includes('  plain: "[REDACTED:kubernetes-secret]"'));
  });

  it('leaves documented examples, placeholders and references untouched', () => {
    const text = [
      'aws_access_key_id = AKIAIOSFODNN7EXAMPLE',
      'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      'API_KEY=your-api-key-here',
      'token: <TOKEN>',
      'password: ${DB_PASSWORD}',
      'apiKey: process.env.API_KEY,',
      'GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'password: changeme',
      'id: 550e8400-e29b-41d4-a716-446655440000',
      'commit: 9fceb02d0ae598e95dc970b74767f19372d61af8',
      '"integrity": "sha512-v2kDEe57lecTulaDIuNTPy3Ry4gLGJ6Z1O3vE1krgXZNrsQ+LFTGHVxVjcXPs17LhbZVGedAJv8XZ1tvj5FvSg==",',
      'img: data:image/png;base64,' +
        'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
      'Authorization: Bearer ' +
        'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.' +
        'eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.' +
        'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
      'publishable: pk_live_51HqLmN3kR7tYv2WbX9sJd4HqZ8pLmN3kR7tYv2Wb',
    ].join('\n');
    assert.deepEqual(redactSecrets(text), { text, findings: [] });
  });

  it('never puts a secret into findings or error messages', () => {
    const text = CASES.map((c) => c[0]).join('\n');
    const serialized = JSON.stringify(redactSecrets(text).findings);
    for (const [, , secret] of CASES) assert.ok(!serialized.includes(secret));
    const sneaky = { toString: () => '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' };
    assert.throws(
      () => redactSecrets(sneaky as unknown as string),
      (e: Error) => e instanceof TypeError && !e.message.includes('ghp_') && e.message.includes('expects a string'),
    );
    assert.ok(new SecretScanError('x') instanceof Error);
  });

  it('returns the same string and no findings when there is nothing to redact', () => {
    const text = 'export const answer = 42;\n';
    const r = redactSecrets(text);
    assert.equal(r.text, text);
    assert.deepEqual(r.findings, []);
  });
});
