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

  it('answers after a file is removed as a resolver made without it, what it resolved before included', () => {
    const labels = ['src/a.ts', 'src/b.ts', 'src/b.js', 'lib/x/util.py', 'vendor/x/util.py', 'src/c.ts'];
    const r = new ImportResolver(labels);
    const specs = ['./b', './c'];
    assert.deepEqual(r.importsOf('src/a.ts', specs), ['src/b.ts', 'src/c.ts']);
    assert.deepEqual(r.resolve('main.py', 'x.util'), ['lib/x/util.py', 'vendor/x/util.py']);
    for (const gone of ['src/b.ts', 'lib/x/util.py']) r.remove(gone);
    const fresh = new ImportResolver(labels.filter((l) => l !== 'src/b.ts' && l !== 'lib/x/util.py'));
    assert.deepEqual(r.importsOf('src/a.ts', specs), ['src/b.js', 'src/c.ts']);
    assert.deepEqual(r.importsOf('src/a.ts', specs), fresh.importsOf('src/a.ts', specs));
    assert.deepEqual(r.resolve('main.py', 'x.util'), ['vendor/x/util.py']);
    assert.deepEqual(r.resolve('main.py', 'x.util'), fresh.resolve('main.py', 'x.util'));
    assert.deepEqual(r.resolve('src/c.ts', './a'), ['src/a.ts'], 'what it did not resolve to is unchanged');
  });
});
