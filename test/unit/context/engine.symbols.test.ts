// ContextEngine.symbols, the index the composer's `@` completes symbols from without a language server: the
// definitions of exactly the files a pack may hold (ignore rules, .deepseekignore and exclusions applied),
// labelled as the pack labels them (by folder in a multi-root workspace), following a file's new content
// (watched: once the watcher reports it) and unsaved editor text.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ContextEngine, type ContextEngineOptions } from '../../../src/context/engine';
import { gitSandbox, writeTree } from '../../helpers/tmp';

describe('ContextEngine.symbols', () => {
  let sandbox: ReturnType<typeof gitSandbox>;
  const engines: ContextEngine[] = [];
  const engineOf = (opts: Partial<ContextEngineOptions> = {}) => {
    const e = new ContextEngine({
      roots: [{ name: 'repo', path: sandbox.repo }],
      workers: 0,
      gitEnv: { home: sandbox.home },
      ...opts,
    });
    engines.push(e);
    return e;
  };
  const found = async (engine: ContextEngine, q: string) =>
    (await engine.symbols()).query(q, 20).map((m) => `${m.name} ${m.label}:${m.line}`);

  beforeEach(() => {
    sandbox = gitSandbox('dsr-symbols-');
    writeTree(sandbox.repo, {
      'src/service.ts': '// the service\nexport class AuthService {}\n',
      'src/secret.ts': 'export class AuthSecret {}\n',
      'out/built.js': 'class AuthBuilt {}\n',
      'docs/auth.ts': 'export class AuthDocs {}\n',
      'pkg/auth.py': 'class AuthModel:\n    pass\n',
      '.gitignore': 'out/\n',
      '.deepseekignore': 'src/secret.ts\n',
    });
  });
  afterEach(() => {
    engines.splice(0).forEach((e) => e.dispose());
    fs.rmSync(sandbox.base, { recursive: true, force: true });
  });

  it('holds the definitions of the files a pack may hold, never an ignored or excluded one', async () => {
    const engine = engineOf({ settings: { exclude: ['docs/**'] } });
    assert.deepEqual(await found(engine, 'auth'), ['AuthModel pkg/auth.py:1', 'AuthService src/service.ts:2']);
  });

  it("follows a file's new content: on disk once the watcher reports it, and unsaved editor text", async () => {
    const engine = engineOf({ watched: true });
    assert.deepEqual(await found(engine, 'AuthService'), ['AuthService src/service.ts:2']);
    const file = path.join(sandbox.repo, 'src', 'service.ts');
    fs.writeFileSync(file, 'export class LoginService {}\n\nexport function authorize() {}\n');
    engine.invalidate([file]);
    assert.deepEqual(await found(engine, 'AuthService'), []);
    assert.deepEqual(await found(engine, 'service'), ['LoginService src/service.ts:1']);
    assert.deepEqual(await found(engine, 'authorize'), ['authorize src/service.ts:3']);
    engine.setUnsaved(new Map([[file, 'export class TypedNotSaved {}\n']]));
    assert.deepEqual(await found(engine, 'typednot'), ['TypedNotSaved src/service.ts:1']);
  });

  it('labels files by folder in a multi-root workspace', async () => {
    const lib = path.join(sandbox.base, 'lib');
    writeTree(lib, { 'l.go': 'package lib\nfunc AuthHelper() {}\n' });
    const engine = engineOf({
      roots: [
        { name: 'repo', path: sandbox.repo },
        { name: 'lib', path: lib },
      ],
    });
    const got = await found(engine, 'auth');
    assert.ok(got.includes('AuthHelper lib/l.go:2'), got.join());
    assert.ok(got.includes('AuthService repo/src/service.ts:2'), got.join());
  });
});
