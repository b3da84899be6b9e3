// Secrets are looked for in what is sent, not in every file read: a file left out by the budget is
// neither redacted nor reported, an outline is redacted on the lines it shows, and the budget is
// checked with the counts of the redacted text. Worker threads give the same pack as inline work.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { ContextEngine, type ContextEngineOptions } from '../../../src/context/engine';
import { sha256 } from '../../../src/shared/hash';
import { TokenCache } from '../../../src/context/read/tokenCache';
import { countTokens } from '../../../src/context/tokens';
import type { Pack } from '../../../src/context/types';
import { tempDir, writeTree } from '../../helpers/tmp';

// Real formats, assembled at run time so this file itself holds no secret (the corpus test scans it).
const PAT = ['ghp', 'zQWBuTSOoRi4A9spHcVY5ncnsDkxkJ0mLq17'].join('_'); // a GitHub token, checksum included
const AWS = ['AKIA', 'Q4JXZ7KLM2NPQ5RS'].join('');
const body = (name: string, lines: number) =>
  `export function ${name}(x: number): number {\n${'  x = x * 3 + 1; // keep going\n'.repeat(lines)}  return x;\n}\n`;

// src/keys.ts: large, named in the question, so ranked first; too large to go whole: an outline
// whose line 2 holds a token. src/zz_left.ts: ranked last, left out by the budget, a key in its body (under a name
// no word of QUESTION is in).
const FILES: Record<string, string> = {
  'src/keys.ts': `// deployment keys\nexport const GITHUB_TOKEN = '${PAT}';\n${body('rotate', 400)}`,
  'src/inline.ts':
    `export const name = 'inline';\nconst AWS_KEY_ID = '${AWS}';\nexport function id(): string {\n  return ` +
    `AWS_KEY_ID;\n}\n`,
  ...Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`src/m${i}.ts`, body(`m${i}`, 60)])),
  'src/zz_left.ts': `export const limit = 3;\n${body('hidden', 300)}const AWS_ACCESS = '${AWS}';\n`,
};
const QUESTION = 'what does keys.ts do with inline.ts?';
const BUDGET = 500;

describe('secrets in what is sent', () => {
  let dir: string;
  const engines: ContextEngine[] = [];
  const pack = (
    opts: Partial<ContextEngineOptions> = {},
    budgetTokens = BUDGET,
    question = QUESTION,
  ): Promise<Pack> => {
    const e = new ContextEngine({ roots: [{ name: 'proj', path: dir }], workers: 0, allowGit: false, ...opts });
    engines.push(e);
    return e.pack({ budgetTokens, question });
  };
  beforeEach(() => {
    dir = tempDir('dsr-sent-');
    writeTree(dir, FILES);
  });
  afterEach(() => {
    engines.splice(0).forEach((e) => e.dispose());
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('redacts an outlined signature, and neither scans nor reports a file left out by the budget', async () => {
    const p = await pack();
    const status = Object.fromEntries(p.files.map((f) => [f.path, f.status]));
    assert.equal(status['src/keys.ts'], 'outline');
    assert.equal(status['src/inline.ts'], 'included');
    assert.equal(status['src/zz_left.ts'], 'excluded');
    assert.ok(!p.text.includes(PAT) && !p.text.includes(AWS), 'no secret is sent');
    assert.match(
      p.text,
      /<file path="src\/keys\.ts" outline="exported signatures only">\n2: export const GITHUB_TOKEN = '\[REDACTED:github-pat:[0-9a-f]{8}\]';\n/,
    );
    assert.deepEqual(
      p.redactions.map((r) => `${r.path}:${r.line}:${r.rule}`),
      ['src/inline.ts:2:aws-access-key-id', 'src/keys.ts:2:github-pat'],
      'every redaction in what is sent, none for the file left out',
    );
  });

  it('checks the budget with the counts of the redacted text', async () => {
    const p = await pack();
    assert.ok(p.tokens <= BUDGET, `${p.tokens} > ${BUDGET}`);
    assert.equal(p.tokens, countTokens(p.text), 'the pack costs exactly what was counted');
    const inline = p.files.find((f) => f.path === 'src/inline.ts')!;
    const block = /<file path="src\/inline\.ts">\n[^]*?<\/file>\n/.exec(p.text)![0];
    assert.ok(block.includes('[REDACTED:aws-access-key-id'));
    assert.equal(inline.tokens, countTokens(block), 'a whole file is counted with its placeholder, not its secret');
  });

  // …so a file without secrets keeps its hash whole or outlined
  it('hashes what is sent whole, and the text of an outline', async () => {
    const p = await pack();
    const byPath = new Map(p.files.map((f) => [f.path, f]));
    const block = /<file path="src\/inline\.ts">\n([^]*?)<\/file>\n/.exec(p.text)![1]!;
    assert.equal(byPath.get('src/inline.ts')!.hash, sha256(block));
    assert.equal(byPath.get('src/keys.ts')!.hash, sha256(FILES['src/keys.ts']!));
    const roomy = await pack({}, 1_000_000);
    const m0 = [byPath.get('src/m0.ts')!, roomy.files.find((f) => f.path === 'src/m0.ts')!];
    assert.deepEqual(
      m0.map((f) => f.status),
      ['outline', 'included'],
    );
    assert.equal(m0[0]!.hash, m0[1]!.hash);
    assert.equal(roomy.manifest.files['src/m0.ts'], p.manifest.files['src/m0.ts']);
  });

  // …(outlines are scanned only once placed)
  it('stays within every budget when redacting an outline makes it shorter or longer', async () => {
    // src/db.ts's outline grows when redacted (a placeholder outweighs a short password); keys.ts's shrinks.
    const url = ['postgres://app', 'pw4@db:5432/x'].join(':');
    fs.writeFileSync(`${dir}/src/db.ts`, `export const DB_URL = '${url}';\n${body('query', 200)}`);
    let outlined = 0;
    for (let budget = 380; budget <= 720; budget += 9) {
      const p = await pack({}, budget);
      assert.ok(p.tokens <= budget, `${p.tokens} > ${budget}`);
      assert.equal(p.tokens, countTokens(p.text), `budget ${budget}: the pack costs exactly what was counted`);
      assert.ok(!p.text.includes(PAT) && !p.text.includes('pw4@'), `budget ${budget}: no secret is sent`);
      if (p.files.find((f) => f.path === 'src/db.ts')!.status === 'outline') {
        outlined++;
        assert.ok(p.redactions.some((r) => r.path === 'src/db.ts' && r.rule === 'url-password'));
      }
    }
    assert.ok(outlined >= 10, `db.ts sent as an outline at ${outlined} budgets`);
  });

  // The second question lifts zz_left.ts (`access`) to an outline: the threads scan keys.ts's outline before the
  // budget is planned, and the plan must not change for it (a redaction shortens it).
  for (const question of [QUESTION, 'what do keys.ts and the access check in inline.ts do?'])
    it(`gives the same pack, redactions and reports on worker threads as inline: ${question}`, async () => {
      const inline = await pack({ workers: 0 }, BUDGET, question);
      const threaded = await pack({ workers: 2, workerThresholdBytes: 0 }, BUDGET, question);
      assert.equal(threaded.text, inline.text);
      assert.deepEqual(threaded.files, inline.files);
      assert.deepEqual(threaded.redactions, inline.redactions);
      assert.deepEqual(threaded.manifest, inline.manifest);
      assert.equal(threaded.tokens, inline.tokens);
    });

  // A text scanned whole and found clean is not scanned again in a later run (the cache keeps the verdict by hash).
  it('keeps only clean verdicts between runs: a secret is redacted on every run, inline and on threads', async () => {
    const cache = tempDir('dsr-sent-cache-');
    try {
      const roomy = 1_000_000;
      const first = await pack({ cacheDir: cache }, roomy);
      for (const workers of [0, 2]) {
        const again = await pack({ cacheDir: cache, workers, workerThresholdBytes: 0 }, roomy);
        assert.equal(again.text, first.text, `${workers} workers`);
        assert.deepEqual(again.redactions, first.redactions, `${workers} workers`);
      }
      assert.ok(!first.text.includes(PAT) && !first.text.includes(AWS));
      engines.splice(0).forEach((e) => e.dispose()); // saved
      const known = TokenCache.inDir(cache);
      const clean = (rel: string) => known.clean(sha256(FILES[rel]!));
      assert.deepEqual(
        ['src/keys.ts', 'src/inline.ts', 'src/zz_left.ts', 'src/m0.ts', 'src/m7.ts'].map(clean),
        [false, false, false, true, true],
        'the files with secrets are never recorded as clean, those without are',
      );
    } finally {
      fs.rmSync(cache, { recursive: true, force: true });
    }
  });
});
