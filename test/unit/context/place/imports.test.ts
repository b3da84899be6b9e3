// Import neighbours (imports.ts): relative, Python and module-path imports resolved against the pack.
import * as assert from 'node:assert/strict';
import { ImportResolver, importSpecifiers } from '../../../../src/context/place/imports';

describe('import neighbours', () => {
  it('finds and resolves relative, Python and module-path imports against the pack', () => {
    const r = new ImportResolver([
      'src/a.ts',
      'src/b/index.ts',
      'src/c.ts',
      'pkg/mod.py',
      'pkg/sub/__init__.py',
      'src/main/java/com/x/Util.java',
    ]);
    assert.deepEqual(
      importSpecifiers('src/a.ts', "import { b } from './b';\nexport * from './c.js';\nconst d = require('lodash');"),
      ['./b', './c.js', 'lodash'],
    );
    assert.deepEqual(r.resolve('src/a.ts', './b'), ['src/b/index.ts']);
    assert.deepEqual(r.resolve('src/a.ts', './c.js'), ['src/c.ts']);
    assert.deepEqual(r.resolve('src/a.ts', 'lodash'), []);
    assert.deepEqual(r.resolve('pkg/mod.py', '.sub'), ['pkg/sub/__init__.py']);
    assert.deepEqual(r.resolve('Main.java', 'com.x.Util'), ['src/main/java/com/x/Util.java']);
  });
});
