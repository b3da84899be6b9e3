// How a repository writes tests (testStyle.ts), as the Generate Tests prompt describes it.
import * as assert from 'node:assert/strict';
import { describeTestStyle } from '../../../src/chat/testStyle';

describe('test style', () => {
  it('describes the test style from the manifests and the test files', () => {
    const js = describeTestStyle(['src/a.ts', 'test/unit/a.test.ts', 'test/unit/b.test.ts'], {
      'package.json': '{"devDependencies":{"mocha":"^12"}}',
    });
    assert.equal(
      js,
      'This repository tests with Mocha. Existing tests live in `test/unit/`; imitate `test/unit/a.test.ts` ' +
        '(imports, naming, assertion style).',
    );
    const py = describeTestStyle(['pkg/core.py', 'tests/test_core.py'], {});
    assert.match(py, /pytest/);
    assert.match(py, /`tests\/`/);
    const go = describeTestStyle(['main.go', 'main_test.go'], {});
    assert.match(go, /Go's testing package/);
    assert.match(go, /`\.\/`/);
    assert.match(describeTestStyle(['main.c'], {}), /no tests yet/);
  });
});
