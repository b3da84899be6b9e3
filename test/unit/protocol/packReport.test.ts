// `pack --json`'s report: the schema accepts exactly the documented shape, README.md describes the same
// fields, and the first line of `ask --json` may carry the format version while no other field is added.
// (The CLI's real reports are checked against the schema in test/unit/cli/packCommand.test.ts.)
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseCliEvent } from '../../../src/protocol/cliEvents';
import { JSON_FORMAT_VERSION, packReportFields, parsePackReport } from '../../../src/protocol/packReport';
import { REPO } from '../../helpers/paths';
import { parseShape, schemaShape, shapeDifferences } from '../../helpers/schemaShape';

const report = {
  v: 1,
  tokens: 120,
  hash: 'ab12',
  roots: [{ name: 'repo', path: '/work/repo' }],
  files: [
    { path: 'src/a.ts', tokens: 100, status: 'included' },
    { path: 'big.ts', tokens: 20, status: 'outline', reason: 'budget' },
    { path: 'gen/', tokens: 0, status: 'excluded', reason: 'setting', detail: 'exclude setting: gen/' },
  ],
  redactions: [{ path: 'src/a.ts', line: 2, rule: 'github-pat' }],
  warnings: [],
};

/** The README's `pack --json` shape, wrapped lines joined. */
function readmeShape(): string {
  const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
  const m =
    /`pack --json` prints one JSON\s+object, as `src\/protocol\/packReport\.ts` defines it and a test\s+checks: `(\{[^`]*\})`/.exec(
      readme,
    );
  assert.ok(m, 'README.md describes pack --json as "`pack --json` prints one JSON object, as … a test checks: `{…}`"');
  return m[1]!.replace(/\s+/g, ' ');
}

describe('pack --json report', () => {
  it('the schema accepts a report unchanged and rejects a missing, mistyped or unknown-status field', () => {
    assert.deepEqual(parsePackReport(report), report);
    const { v: _v, ...unversioned } = report;
    for (const bad of [
      unversioned,
      { ...report, tokens: '120' },
      { ...report, files: [{ path: 'a', tokens: 1, status: 'maybe' }] },
      { ...report, redactions: [{ path: 'a', line: 1 }] },
    ])
      assert.equal(parsePackReport(bad), undefined, JSON.stringify(bad).slice(0, 120));
  });

  it('README.md lists exactly the fields of the schema', () => {
    assert.deepEqual(shapeDifferences('pack --json', parseShape(readmeShape()), schemaShape(packReportFields)), []);
    const missing = readmeShape().replace('detail?', 'detail');
    assert.ok(shapeDifferences('pack --json', parseShape(missing), schemaShape(packReportFields)).length > 0);
  });

  it('an ask --json line may carry the format version, a whole number', () => {
    assert.equal(JSON_FORMAT_VERSION, 1);
    const line = { type: 'content', v: 1, text: 'a' };
    assert.deepEqual(parseCliEvent(line), line);
    assert.equal(parseCliEvent({ type: 'content', v: '1', text: 'a' }), undefined);
    assert.equal(parseCliEvent({ type: 'content', v: 0, text: 'a' }), undefined);
  });
});
