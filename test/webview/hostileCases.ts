// Hostile markdown of our own, beyond the shared corpus: URL-scheme obfuscation, protocol-relative
// URLs, VS Code deep links, fence-info injection, chunk splits inside tags, and bidi tricks.
import type { XssCase } from './invariants';

const c = (id: string, input: string | null, visible: string[] = [], chunks?: string[]): XssCase => ({
  id,
  input,
  expected: { visible_text_contains: visible },
  ...(chunks ? { chunks } : {}),
});

export const HOSTILE_CASES: XssCase[] = [
  c('protocol-relative-image', '![px](//attacker.example/p.png?d=1) after', ['after']),
  c('protocol-relative-link', '[home](//attacker.example/x) after', ['after']),
  c('data-html-link', '[open](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)', ['open']),
  c(
    'vscode-deep-links',
    '[a](vscode://ms-python.python/x) [b](vscode-insiders://x) [c](command:workbench.action.terminal.new)',
    ['a', 'b', 'c'],
  ),
  c(
    'autolink-schemes',
    '<javascript:window.__pwned=1> <command:workbench.action.openSettings> <https://ok.example/x>',
    ['https://ok.example/x'],
  ),
  c(
    'obfuscated-javascript',
    '[a](  javascript:window.__pwned=1) [b](java\tscript:window.__pwned=1) ' +
      '[c](&#106;avascript:window.__pwned=1) [d](javascript&colon;window.__pwned=1)',
    ['a'],
  ),
  c(
    'reference-javascript',
    '[run][j] and ![img][i]\n\n[j]: javascript:window.__pwned=1\n[i]: https://attacker.example/i.png',
    ['run'],
  ),
  c(
    'fence-info-injection',
    '```ts" onmouseover="window.__pwned=1\nconst a = 1;\n```\n\n```ts path="><img src=x ' +
      'onerror=window.__pwned=1>\nconst b = 2;\n```',
    ['const a = 1;', 'const b = 2;'],
  ),
  c(
    'html-in-table-and-heading',
    '# Title <img src=x onerror=window.__pwned=1>\n\n| a | b |\n|---|---|\n| ' +
      '<script>window.__pwned=1</script> | <iframe src="https://attacker.example"></iframe> |',
    ['Title', 'a'],
  ),
  c('linkify-bare-domain', 'see www.attacker.example/path and https://ok.example', ['see']),
  c('image-inside-link', '[![logo](https://attacker.example/a.png)](https://attacker.example/home)', ['logo']),
  c('image-title-escape', '![x](https://attacker.example/x.png "t\\" onerror=\\"window.__pwned=1")', []),
  c('tag-split-across-chunks', null, ['before'], ['before <im', 'g src=x one', 'rror=window.__pwned=1> after']),
  c(
    'fence-split-across-chunks',
    null,
    ['<script>window.__pwned=1</script>'],
    ['Code:\n\n`', '``html\n<scr', 'ipt>window.__pwned=1</scr', 'ipt>\n`', '``\n\nEnd'],
  ),
  c('bidi-in-code', '```js\nconst access = "user\u202E \u2066// admin\u2069 \u2066";\n```', ['const access']),
  c(
    'nested-fence-in-list',
    null,
    ['item', 'nested'],
    ['- item\n\n  ```html\n  <img src=x onerror=window.__pwned=1>', '\n  nested\n  ```\n', '- next'],
  ),
  c('svg-data-uri-link', '[x](data:image/svg+xml,<svg onload=window.__pwned=1>)', []),
  c('scheme-with-digits', '[a](javascript:1) [b](vscode:42) [c](JavaScript:1:2) [d](command:7)', ['a', 'b', 'c', 'd']),
  c(
    'edits-with-html-and-bidi',
    '```ts path=src/a.ts\n<<<<<<< SEARCH\n<img src=x onerror=window.__pwned=1>\n=======\n' +
      'const s = "a\u202Eb";\n>>>>>>> REPLACE\n```\n\nafter',
    ['const s', 'after'],
  ),
  c('meta-refresh', '<meta http-equiv="refresh" content="0;url=https://attacker.example">text', ['text']),
];
