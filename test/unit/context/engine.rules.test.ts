// Which files the engine packs and how it shows them: includes, excludes and .deepseekignore against git's
// ignore rules, folder labels in a multi-root pack, and redactions reported without the secret.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { tempDir, writeTree } from '../../helpers/tmp';
import { BIG, byPath, smallProject } from './engineKit';

describe('ContextEngine', () => {
  const project = smallProject();

  it('reports redactions as {path, line, rule} and keeps the secret out of the pack', async () => {
    // The markers are split so that this test file is not itself a private key to the secret scanner.
    const key = [
      '-----BEGIN RSA PRIVATE' + ' KEY-----',
      'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun',
      '-----END RSA PRIVATE KEY-----',
    ].join('\n');
    writeTree(project.dir, { 'src/deploy.ts': `// deploy\nconst k = \`\n${key}\n\`;\n` });
    const pack = await project.engine().pack({ budgetTokens: BIG });
    assert.ok(!pack.text.includes('MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun'));
    const r = pack.redactions.find((x) => x.path === 'src/deploy.ts');
    assert.ok(r, JSON.stringify(pack.redactions));
    assert.equal(r.line, 4, 'the line where the secret starts: the key body (BEGIN/END lines stay)');
    assert.equal(typeof r.rule, 'string');
    assert.deepEqual(Object.keys(r).sort(), ['line', 'path', 'rule']);
  });

  it('labels files with their folder in a multi-root pack', async () => {
    const other = tempDir('dsr-engine2-');
    writeTree(other, { 'lib.py': 'def f():\n    return 1\n' });
    try {
      const pack = await project
        .engine({
          roots: [
            { name: 'web', path: project.dir },
            { name: 'api', path: other },
          ],
        })
        .pack({ budgetTokens: BIG });
      const paths = pack.files.map((f) => f.path);
      assert.ok(paths.includes('api/lib.py') && paths.includes('web/src/a.ts') && paths.includes('web/out/'));
      assert.match(pack.text, /Workspace folders: web, api\./);
      assert.ok(pack.text.includes('<file path="api/lib.py">'));
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });

  it('includes beat ignore rules and default exclusions; excludes and .deepseekignore remove files', async () => {
    writeTree(project.dir, {
      'yarn.lock': 'lock\n',
      'docs/guide.md': 'guide\n',
      'docs/draft.md': 'draft\n',
      '.deepseekignore': 'docs/\n!docs/guide.md\n',
    });
    const e = project.engine({ settings: { include: ['out/', 'yarn.lock'], exclude: ['src/b.ts'] } });
    const files = byPath(await e.pack({ budgetTokens: BIG }));
    assert.equal(files.get('out/x.js')?.status, 'included');
    assert.equal(files.get('yarn.lock')?.status, 'included');
    assert.deepEqual([files.get('src/b.ts')?.status, files.get('src/b.ts')?.reason], ['excluded', 'setting']);
    assert.deepEqual([files.get('docs/')?.status, files.get('docs/')?.reason], ['excluded', 'deepseekignore']);
    e.setSettings({});
    const plain = byPath(await e.pack({ budgetTokens: BIG }));
    assert.equal(plain.get('yarn.lock')?.reason, 'lockfile');
    assert.equal(plain.get('src/b.ts')?.status, 'included');
  });

  it('a .deepseekignore negation re-includes a folder git ignores', async () => {
    writeTree(project.dir, { '.deepseekignore': '!out/\n' });
    const files = byPath(await project.engine().pack({ budgetTokens: BIG }));
    assert.equal(files.get('out/x.js')?.status, 'included');
  });
});
