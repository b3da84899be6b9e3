// Syntax highlighting for finished code blocks: highlight.js core with a curated set of languages
// (the common ones in repositories), so the webview bundle stays small. Colours come from CSS that
// maps hljs classes to VS Code theme variables (highlight.css).
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import csharp from 'highlight.js/lib/languages/csharp';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import dockerfile from 'highlight.js/lib/languages/dockerfile';
import go from 'highlight.js/lib/languages/go';
import ini from 'highlight.js/lib/languages/ini';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import kotlin from 'highlight.js/lib/languages/kotlin';
import makefile from 'highlight.js/lib/languages/makefile';
import markdown from 'highlight.js/lib/languages/markdown';
import php from 'highlight.js/lib/languages/php';
import python from 'highlight.js/lib/languages/python';
import ruby from 'highlight.js/lib/languages/ruby';
import rust from 'highlight.js/lib/languages/rust';
import scss from 'highlight.js/lib/languages/scss';
import shell from 'highlight.js/lib/languages/shell';
import sql from 'highlight.js/lib/languages/sql';
import swift from 'highlight.js/lib/languages/swift';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';

const LANGUAGES = {
  bash,
  c,
  cpp,
  csharp,
  css,
  diff,
  dockerfile,
  go,
  ini,
  java,
  javascript,
  json,
  kotlin,
  makefile,
  markdown,
  php,
  python,
  ruby,
  rust,
  scss,
  shell,
  sql,
  swift,
  typescript,
  xml,
  yaml,
};
for (const [name, lang] of Object.entries(LANGUAGES)) hljs.registerLanguage(name, lang);
hljs.registerAliases(['tsx', 'mts', 'cts'], { languageName: 'typescript' });
hljs.registerAliases(['jsx', 'mjs', 'cjs'], { languageName: 'javascript' });
hljs.registerAliases(['toml', 'conf', 'properties'], { languageName: 'ini' });
hljs.registerAliases(['html', 'svg', 'vue', 'xhtml'], { languageName: 'xml' });
hljs.registerAliases(['jsonc', 'json5'], { languageName: 'json' });
hljs.registerAliases(['zsh', 'sh'], { languageName: 'bash' });
hljs.registerAliases(['console', 'shellsession', 'terminal'], { languageName: 'shell' });
hljs.configure({ classPrefix: 'hljs-' });

/** Code larger than this is shown plain: highlighting it would block the UI (characters). */
const MAX_HIGHLIGHT_CHARS = 100_000;

/** Highlighted HTML (escaped, hljs spans only) for `code` in `lang`, or undefined for an unknown language. */
export function highlightCode(code: string, lang: string): string | undefined {
  if (!lang || code.length > MAX_HIGHLIGHT_CHARS || !hljs.getLanguage(lang)) return undefined;
  return hljs.highlight(code, { language: lang, ignoreIllegals: true }).value;
}

/** Compiles every language's grammar in idle time, one per idle callback, so the first code block
 *  of a language does not pay for it in a streaming frame. */
export function warmUpHighlighter(): void {
  const names = Object.keys(LANGUAGES);
  const idle = (cb: () => void) =>
    'requestIdleCallback' in window ? requestIdleCallback(cb, { timeout: 2000 }) : setTimeout(cb, 50);
  const next = () => {
    const name = names.shift();
    if (!name) return;
    hljs.highlight('x', { language: name, ignoreIllegals: true });
    idle(next);
  };
  idle(next);
}

/** A language id for a file name's extension, when we highlight that language. */
export function languageOfPath(path: string): string | undefined {
  const ext = /\.([A-Za-z0-9]+)$/.exec(path)?.[1]?.toLowerCase();
  if (!ext) return /(^|\/)(Dockerfile|Makefile)$/.test(path) ? path.split('/').pop()!.toLowerCase() : undefined;
  const byExt: Record<string, string> = {
    ts: 'typescript',
    js: 'javascript',
    py: 'python',
    rb: 'ruby',
    rs: 'rust',
    kt: 'kotlin',
    cs: 'csharp',
    h: 'c',
    hpp: 'cpp',
    cc: 'cpp',
    yml: 'yaml',
    md: 'markdown',
    htm: 'xml',
    sh: 'bash',
  };
  const lang = byExt[ext] ?? ext;
  return hljs.getLanguage(lang) ? lang : undefined;
}
