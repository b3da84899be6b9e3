// Apply for a code block that is a part of a file: it goes where it belongs (a definition of the same
// name replaced, a class merged member by member, new code added at the end) and never deletes what
// it does not name; only a block holding most of the file is taken for the whole file.
import * as assert from 'node:assert/strict';
import { proposedText } from '../../../src/protocol/editBlocks';
import { definitionAt, headerOf } from '../../../src/protocol/definitions';
import { isWholeFile, mergeSnippet } from '../../../src/protocol/snippetMerge';

/** A package init as a user met it: 40 lines of re-exports. */
const INIT = [
  'from . import json as json',
  ...Array.from({ length: 38 }, (_, i) => `from .mod${i} import name${i} as name${i}`),
  'from .wrappers import Response as Response',
  '',
].join('\n');

const PY = `import os
from .globals import request


def first(a):
    return a + 1


@app.route("/hello")
def hello():
    """Says hello."""
    return "Hello"


class View:
    methods = None

    def dispatch_request(self):
        raise NotImplementedError()

    def as_view(cls, name):
        return name


def last():
    return None
`;

const TS = `import { a } from './a';

export function f(x: number): number {
  if (x > 1) {
    return a(x);
  }
  return x;
}

export class Store {
  private items: string[] = [];

  add(item: string): void {
    this.items.push(item);
  }

  remove(item: string): void {
    this.items = this.items.filter((i) => i !== item);
  }

  get size(): number {
    return this.items.length;
  }
}
`;

/** True when every line of `before` is still in `after`, in order (nothing deleted). */
function keepsAll(before: string, after: string): boolean {
  const rest = after.split('\n');
  let k = 0;
  for (const line of before.split('\n')) {
    while (k < rest.length && rest[k] !== line) k++;
    if (k++ >= rest.length) return false;
  }
  return true;
}

describe('snippet merge (Apply of a block that is part of a file)', () => {
  it('a two-line function for a 40-line file is added at the end, as an insertion: no line of the file goes', () => {
    const r = proposedText('def hello() -> str:\n    return "Hello, World!"\n', INIT);
    assert.ok(r.ok);
    assert.equal(r.how?.kind, 'merge');
    assert.equal(r.how?.summary, 'adds `hello` at the end');
    assert.equal(r.text, `${INIT}\ndef hello() -> str:\n    return "Hello, World!"\n`);
    assert.ok(keepsAll(INIT, r.text));
  });

  it('replaces the function of the same name, its decorator with it, and nothing else', () => {
    const code = '@app.route("/hello")\ndef hello():\n    return "Hello, World!"\n';
    const r = mergeSnippet(code, PY);
    assert.equal(r.summary, 'replaces `hello`');
    assert.equal(
      r.text,
      PY.replace('def hello():\n    """Says hello."""\n    return "Hello"', 'def hello():\n    return "Hello, World!"'),
    );
  });

  it('a lone method replaces the method of that name inside its class, re-indented', () => {
    const r = mergeSnippet('def dispatch_request(self):\n    return "ok"\n', PY);
    assert.equal(r.summary, 'replaces `dispatch_request`');
    assert.equal(r.text, PY.replace('        raise NotImplementedError()', '        return "ok"'));
  });

  it(
    'a class much smaller than the file’s is merged member by member: one method ' +
      'replaced, a new one added to the class',
    () => {
      const code =
        'class View:\n    ...\n\n    def as_view(cls, name):\n        return name.upper()\n\n    def ' +
        'extra(self):\n        return 1\n';
      const r = mergeSnippet(code, PY);
      assert.equal(r.summary, 'replaces `as_view`; adds `extra` to `View`');
      const expected = PY.replace(
        '        return name\n',
        '        return name.upper()\n\n    def extra(self):\n        return 1\n',
      );
      assert.equal(r.text, expected);
    },
  );

  it(
    'brace languages: a function replaced to its closing brace; a class method replaced; a ' +
      'new method goes before the class’s closing brace',
    () => {
      const fn = mergeSnippet('export function f(x: number): number {\n  return x * 2;\n}', TS);
      assert.equal(fn.summary, 'replaces `f`');
      assert.equal(
        fn.text,
        TS.replace(/export function f[\s\S]*?\n}\n/, 'export function f(x: number): number {\n  return x * 2;\n}\n'),
      );
      const cls = mergeSnippet(
        'class Store {\n  // ...\n  remove(item: string): void {\n    ' +
          'this.items.splice(this.items.indexOf(item), 1);\n  }\n\n  clear(): void {\n    this.items = [];\n  }\n}\n',
        TS,
      );
      assert.equal(cls.summary, 'replaces `remove`; adds `clear` to `Store`');
      assert.ok(cls.text.includes('    this.items.splice(this.items.indexOf(item), 1);\n  }\n\n  get size()'));
      assert.ok(
        cls.text.endsWith('    return this.items.length;\n  }\n\n  clear(): void {\n    this.items = [];\n  }\n}\n'),
        cls.text,
      );
      assert.ok(!cls.text.includes('filter((i)'), 'the old remove is gone');
    },
  );

  it('imports the file has are dropped, new ones go after its imports; other statements at the end', () => {
    const code = 'import os\nimport sys\n\nTIMEOUT = 3\n\ndef helper():\n    return sys.argv\n';
    const r = mergeSnippet(code, PY);
    assert.equal(r.summary, 'adds `helper` and 1 line at the end; adds 1 import');
    assert.ok(r.text.startsWith('import os\nfrom .globals import request\nimport sys\n\n'));
    assert.ok(
      r.text.endsWith('def last():\n    return None\n\n\nTIMEOUT = 3\n\n\ndef helper():\n    return sys.argv\n'),
      r.text,
    );
    assert.ok(keepsAll(PY, r.text));
  });

  it('a call is no definition; a name defined twice is not guessed at; elisions are dropped', () => {
    assert.equal(headerOf('hello(world)'), undefined);
    assert.equal(headerOf('if (ready) {'), undefined);
    assert.deepEqual(headerOf('  public void run() {'), { indent: '  ', name: 'run' });
    const twice = 'class A:\n    def a(self):\n        return 1\n\n\nclass B:\n    def a(self, y):\n        return 2\n';
    const r = mergeSnippet('def a(self, x):\n    return 3\n', twice);
    assert.equal(r.summary, 'adds `a` at the end', 'neither `a` is replaced on a guess');
    const same = mergeSnippet('def a(self, y):\n    return 3\n', twice);
    assert.equal(same.summary, 'replaces `a`', 'the header that matches exactly decides');
    assert.ok(same.text.endsWith('    def a(self, y):\n        return 3\n'));
    const top = mergeSnippet(
      'def a():\n    return 3\n',
      'def a():\n    return 1\n\n\nclass B:\n    def a(self):\n        return 2\n',
    );
    assert.ok(top.text.startsWith('def a():\n    return 3\n'), 'a top-level function for the top-level one');
    assert.equal(mergeSnippet('# ... existing code ...\nfirst(1)\n', PY).summary, 'adds 1 line at the end');
  });

  it('keeps CRLF line endings; a file without a final newline gets one', () => {
    const crlf = PY.replace(/\n/g, '\r\n');
    const r = mergeSnippet('def last():\n    return 0\n', crlf);
    assert.equal(r.text, crlf.replace('return None', 'return 0'));
    assert.equal(mergeSnippet('b = 2', 'a = 1').text, 'a = 1\n\nb = 2\n');
  });

  it(
    'a block holding most of the file is its whole new version; replacing a larger ' +
      'file whole is only ever asked for, and says so',
    () => {
      const rewritten = PY.replace('return a + 1', 'return a + 2').replace('def last():\n    return None\n', '');
      assert.ok(isWholeFile(rewritten, PY));
      assert.deepEqual(proposedText(rewritten, PY), {
        ok: true,
        text: rewritten,
        how: { kind: 'whole', summary: 'a new version of the whole file' },
      });
      assert.equal(isWholeFile('def hello():\n    pass\n', PY), false);
      const all = proposedText('def hello() -> str:\n    return "Hello, World!"\n', INIT, { replaceAll: true });
      assert.deepEqual(all, {
        ok: true,
        text: 'def hello() -> str:\n    return "Hello, World!"\n',
        how: { kind: 'replace-all', summary: 'replaces the whole file: its 40 lines become these 2' },
      });
      assert.deepEqual(proposedText('x = 1', undefined), {
        ok: true,
        text: 'x = 1\n',
        how: { kind: 'new', summary: 'creates the file' },
      });
      const empty = proposedText('x = 1\n', '');
      assert.equal(empty.ok && empty.how?.kind, 'whole', 'an empty file');
    },
  );

  it('finds where definitions end: braces (strings and comments aside), indentation, one-liners', () => {
    const lines = ['function f() {', '  const s = "}";', '  // }', '  return `{`;', '}', 'after();'];
    assert.deepEqual([definitionAt(lines, 0)?.end, definitionAt(lines, 0)?.block], [5, 'brace']);
    assert.equal(definitionAt(['const g = (x) => x + 1;', 'next'], 0)?.end, 1);
    const py = ['def f(', '    a,', '    b,', '):', '    return {a: b}', '', 'x = 1'];
    assert.deepEqual([definitionAt(py, 0)?.end, definitionAt(py, 0)?.block], [5, 'indent']);
    assert.deepEqual([definitionAt(['def f(x={}):', '    return x', 'y'], 0)?.end], [2], 'a default {} is no block');
    const rb = ['def greet', '  puts "hi"', 'end', 'greet'];
    assert.equal(definitionAt(rb, 0)?.end, 3);
  });
});
