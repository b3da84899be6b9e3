// Writing a change set to disk (the CLI's --apply): exact bytes, new folders, and a file the user
// changed since the edit was made is left alone and reported.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeChangeSet } from '../../../../src/chat/agent/writeChanges';
import { tempDir, writeTree } from '../../../helpers/tmp';

describe('writing a change set', () => {
  it('writes exact bytes, creates folders, keeps the mode, and skips a file that changed since', () => {
    const dir = tempDir('dsr-write-');
    writeTree(dir, { 'a.sh': '#!/bin/sh\r\necho a\r\n', 'b.ts': 'b changed by the user\n' });
    fs.chmodSync(path.join(dir, 'a.sh'), 0o755);
    const decisions = writeChangeSet(
      {
        id: 'c1',
        files: [
          { path: 'a.sh', before: '#!/bin/sh\r\necho a\r\n', after: '#!/bin/sh\r\necho b\r\n' },
          { path: 'src/deep/new.ts', before: undefined, after: 'export {};\n' },
          { path: 'b.ts', before: 'b\n', after: 'B\n' },
        ],
      },
      (p) => path.join(dir, p),
    );
    assert.deepEqual(decisions, [
      { path: 'a.sh', state: 'applied' },
      { path: 'src/deep/new.ts', state: 'applied' },
      { path: 'b.ts', state: 'failed', reason: 'the file changed since the edit was made (read it again)' },
    ]);
    assert.equal(fs.readFileSync(path.join(dir, 'a.sh'), 'utf8'), '#!/bin/sh\r\necho b\r\n');
    if (process.platform !== 'win32') assert.equal(fs.statSync(path.join(dir, 'a.sh')).mode & 0o777, 0o755);
    assert.equal(fs.readFileSync(path.join(dir, 'src/deep/new.ts'), 'utf8'), 'export {};\n');
    assert.equal(fs.readFileSync(path.join(dir, 'b.ts'), 'utf8'), 'b changed by the user\n');
    assert.deepEqual(
      fs.readdirSync(dir).filter((f) => f.endsWith('.tmp')),
      [],
      'no temporary file left',
    );
  });
});
