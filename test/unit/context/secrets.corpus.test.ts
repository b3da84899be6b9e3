// The generated corpus (test/fixtures/secrets): recall of at least 95% overall and in every family,
// every finding on the right line, and zero damage to decoys, which must come out byte-identical.
// Real files of this repository (the lockfile, the sources) are decoys too.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { redactSecrets } from '../../../src/context/secrets';
import { buildCorpus, FAMILIES, type PositiveFile } from '../../fixtures/secrets/corpus';
import { REPO } from '../../helpers/paths';

const ROOT = REPO;
const { positives, decoys } = buildCorpus(1, 25);

/** Caught: every secret string is gone, and a finding sits on the line where the secret starts. */
function caught(p: PositiveFile): boolean {
  const r = redactSecrets(p.text);
  return p.secrets.every((s) => !r.text.includes(s.value)) && r.findings.some((f) => f.line === p.secrets[0]!.line);
}

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return p.includes(path.join('fixtures', 'secrets')) ? [] : sources(p);
    // The secret scanner's own tests (secrets*.test.ts, test/unit/context/secrets/) hold secrets on purpose.
    return /\.(ts|json|md|mjs|css)$/.test(e.name) && !/secrets.*\.test\.ts$/.test(path.relative(REPO, p)) ? [p] : [];
  });
}

describe('secret corpus', () => {
  it('has every family, each with enough samples to measure', () => {
    for (const family of FAMILIES) assert.ok(positives.filter((p) => p.family === family).length >= 25, family);
  });

  it('catches at least 95% of the secrets overall and in every family', () => {
    const missed: string[] = [];
    for (const family of FAMILIES) {
      const mine = positives.filter((p) => p.family === family);
      const misses = mine.filter((p) => !caught(p));
      missed.push(...misses.map((p) => `${p.kind}: ${p.text.split(/\r?\n/)[p.secrets[0]!.line - 1]}`));
      assert.ok(
        misses.length <= mine.length * 0.05,
        `${family}: ${misses.length}/${mine.length} missed\n${missed.join('\n')}`,
      );
    }
    assert.ok(missed.length <= positives.length * 0.05, missed.join('\n'));
  });

  it('catches at least 90% of every single kind, so one broken format cannot hide in its family', () => {
    for (const kind of new Set(positives.map((p) => p.kind))) {
      const mine = positives.filter((p) => p.kind === kind);
      const misses = mine.filter((p) => !caught(p)).length;
      assert.ok(misses <= mine.length * 0.1, `${kind}: ${misses}/${mine.length} missed`);
    }
  });

  it('reports findings only where secrets are', () => {
    for (const p of positives) {
      const lines = new Set(p.secrets.map((s) => s.line));
      for (const f of redactSecrets(p.text).findings)
        assert.ok(lines.has(f.line), `${p.kind}: stray finding on line ${f.line}\n${p.text}`);
    }
  });

  it('leaves every decoy byte-identical', () => {
    for (const d of decoys) {
      const r = redactSecrets(d.text);
      assert.deepEqual(r.findings, [], `${d.kind}:\n${d.text}`);
      assert.equal(r.text, d.text);
    }
  });

  it('leaves this repository untouched: lockfile, sources, tests and docs', () => {
    const files = [
      path.join(ROOT, 'package-lock.json'),
      path.join(ROOT, 'package.json'),
      ...sources(path.join(ROOT, 'src')),
      ...sources(path.join(ROOT, 'test')),
    ];
    assert.ok(files.length > 20);
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      assert.deepEqual(redactSecrets(text).findings, [], path.relative(ROOT, file));
    }
  });
});
