// The definitions the `@` symbol index keeps for each file (place/definitions.ts through termStats): names
// with their 1-based line and kind, per language family, only where the keyword opens its line, top-level
// variables only, nothing from prose, each name once, and the same statistics for ranking as before.
import * as assert from 'node:assert/strict';
import {
  NO_SYMBOLS,
  symbolCount,
  symbolKind,
  symbolLine,
  type FileSymbols,
} from '../../../../src/context/place/definitions';
import { termStats, wholeHash, definesName } from '../../../../src/context/place/terms';

/** `name:line:kind` of each definition of `text` as a file at `path`. */
function defs(path: string, text: string): string[] {
  const s: FileSymbols = termStats(text, path).symbols ?? NO_SYMBOLS;
  const names = s.names.split('\n').slice(0, -1);
  assert.equal(names.length, symbolCount(s));
  return names.map((n, i) => `${n}:${symbolLine(s, i)}:${symbolKind(s, i)}`);
}

describe('definitions (the @ symbol index of a file)', () => {
  it('TypeScript and JavaScript: classes, functions, interfaces, types, enums, top-level constants', () => {
    const text = [
      "import { x } from './x';",
      '// we use a class Commented here',
      'export class InsertQueryBuilder<T> extends Base {',
      '  let inner = 1;',
      '}',
      "export const VERSION = '1';",
      'const local = 2;',
      'function helper() { for (let i = 0; i < 3; i++) {} }',
      'export default async function main() {}',
      'export interface Options { a: number }',
      'export type Id = string;',
      'enum Color { Red }',
      'export function* items() {}',
    ].join('\n');
    assert.deepEqual(defs('src/q.ts', text), [
      'InsertQueryBuilder:3:class',
      'VERSION:6:constant',
      'local:7:constant',
      'helper:8:function',
      'main:9:function',
      'Options:10:interface',
      'Id:11:type',
      'Color:12:enum',
      'items:13:function',
    ]);
  });

  it('Python: classes, functions and methods (each name once per file)', () => {
    const text = [
      'class Model(Base):',
      '    def __init__(self):',
      '        pass',
      '    async def fetch_all(self):',
      '        x = 1',
      'def model_dump(obj):',
      '    pass',
      'class Other:',
      '    def __init__(self): pass',
    ].join('\n');
    assert.deepEqual(defs('pkg/m.py', text), [
      'Model:1:class',
      '__init__:2:function',
      'fetch_all:4:function',
      'model_dump:6:function',
      'Other:8:class',
    ]);
  });

  it('Go: types, functions, methods past their receiver, package variables', () => {
    const text = [
      'package main',
      'type Server struct {}',
      'func (s *Server) ServeHTTP(w http.ResponseWriter) {}',
      'func main() {}',
      'var Debug = false',
      'const (',
      '  A = 1',
      ')',
    ].join('\n');
    assert.deepEqual(defs('cmd/s.go', text), [
      'Server:2:type',
      'ServeHTTP:3:function',
      'main:4:function',
      'Debug:5:variable',
    ]);
  });

  it('Rust: structs, functions with pub(crate), enums, traits, constants; not a let in a body', () => {
    const text = [
      'pub struct Config { }',
      'pub(crate) fn parse_args() {',
      '    let inner = 1;',
      '}',
      'impl Config {',
      '    pub fn new() -> Self { Config {} }',
      '}',
      'pub enum Mode { A }',
      'trait Runner {}',
      'const MAX: usize = 3;',
    ].join('\n');
    assert.deepEqual(defs('src/lib.rs', text), [
      'Config:1:struct',
      'parse_args:2:function',
      'new:6:function',
      'Mode:8:enum',
      'Runner:9:interface',
      'MAX:10:constant',
    ]);
  });

  it('TypeScript and JavaScript methods: an indented name, its parameters and a block; not calls or callbacks', () => {
    const text = [
      'export class Loader {',
      '  constructor(private id: string) {',
      '  }',
      '  async loadTables(names: string[]): Promise<Table[]> {',
      '    if (names.length) {',
      '      this.cache.clear();',
      '      helper(names);',
      '    }',
      "    describe('x', () => {",
      "    it('y', function () {",
      '    items.forEach((n) => {',
      '    } else if (ok) {',
      '  }',
      '  static *walk(root) {',
      '  get size() {',
      '  private reset(): void {',
      '  done(x) { return x; }',
      '}',
      'const api = {',
      '  fetch(url) {',
      '};',
    ].join('\n');
    assert.deepEqual(defs('src/loader.ts', text), [
      'Loader:1:class',
      'loadTables:4:method',
      'walk:14:method',
      'size:15:method',
      'reset:16:method',
      'api:19:constant',
      'fetch:20:method',
    ]);
    // Only where methods have no keyword: in Python or Go the same line is a call.
    assert.deepEqual(defs('a.py', 'if x:\n  load(a) {\n'), []);
    assert.deepEqual(defs('a.mjs', 'class A {\n  load(a) {\n'), ['A:1:class', 'load:2:method']);
  });

  it('Java and C# methods: a name after its return type; not constructors, calls or statements', () => {
    const java = [
      'package app;',
      'public class Store<K> {',
      '    private final Map<K, List<String>> index = new HashMap<>();',
      '    public Store(int size) {',
      '    @Override public String toString() {',
      '    public static void main(String[] args) throws Exception {',
      '        if (args.length > 0) {',
      '        for (String a : args) {',
      '        } else if (ready) {',
      '        synchronized (lock) {',
      '        new Thread(new Runnable() {',
      '        items.forEach(x -> {',
      '        String s = format(x) + "{";',
      '        return build(a) {',
      '        } catch (IOException e) {',
      '    }',
      '    public <T extends Comparable<T>> T max(List<T> xs) {',
      '    int[] counts(int n) {',
      '    default Map<K, List<String>> byKey() {',
      '}',
    ].join('\n');
    // A constructor is not kept: it has the class's name.
    assert.deepEqual(defs('src/app/Store.java', java), [
      'Store:2:class',
      'toString:5:method',
      'main:6:method',
      'max:17:method',
      'counts:18:method',
      'byKey:19:method',
    ]);
    const csharp = [
      'namespace App',
      '{',
      '    public class HomeController : Controller',
      '    {',
      '        public HomeController(ILogger log) : base(log)',
      '        {',
      '        public async Task<IActionResult> Index(int id)',
      '        {',
      '            if (id > 0)',
      '            {',
      '            foreach (var x in xs)',
      '            {',
      '            using (var s = Open(id))',
      '            {',
      '            await Save(id);',
      '        }',
      '        public override string ToString() => "home";',
      '        private static int Count(List<int> xs) {',
      '    }',
      '}',
    ].join('\n');
    assert.deepEqual(defs('Controllers/HomeController.cs', csharp), [
      'HomeController:3:class',
      'Index:7:method',
      'Count:18:method',
    ]);
    // A `.js` file's methods have no type: `int load(` there is not one.
    assert.deepEqual(defs('a.js', 'class A {\n  int load(a) {\n'), ['A:1:class']);
  });

  it('Kotlin: fun', () => {
    assert.deepEqual(defs('Main.kt', 'class Main {\n    fun start(args: Array<String>) {\n'), [
      'Main:1:class',
      'start:2:function',
    ]);
  });

  it('prose defines nothing, and line numbers count every line (CRLF normalised before)', () => {
    assert.deepEqual(defs('CHANGELOG.md', 'class Foo\nlet them know\n'), []);
    assert.deepEqual(defs('a.ts', '\n\n\n\nexport class Late {}\n'), ['Late:5:class']);
  });

  it('keeps the ranking statistics as they were (every definition hashed, commented ones too)', () => {
    const stats = termStats('// a class Commented\nexport class Kept {}\n', 'a.ts');
    assert.ok(definesName(stats, wholeHash('kept')));
    assert.ok(definesName(stats, wholeHash('commented')), 'the ranking still counts it; only @ leaves it out');
    assert.equal(termStats('fix class Foo in subject', '', { symbols: false }).symbols, undefined);
  });
});
