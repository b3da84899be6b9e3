// The files a question names: by path or file name (`view.go`) clearly; by a bare stem that is
// also a plain word (`rename`, `check`) only a little; and folders a run of its words names
// (`gh run view`). Used by rank.ts, which weighs each kind.
import { words } from './lexical';

/** The stem two files share a name by (`view` for every view.go). */
export const stemKey = (label: string) =>
  label
    .slice(label.lastIndexOf('/') + 1)
    .replace(/\.[^.]+$/, '')
    .toLowerCase();

/** How the question names a file: its path or file name, a code-like stem (`SecretStr`, `model_dump`),
 * a stem that is a plain word, or the last folders of its path as consecutive words (`run view`). */
export type Naming = 'path' | 'name' | 'stem' | 'word' | 'folder';

/** The question's words once, so each file is checked against sets, not by a regex a file. */
export function questionNames(q: string): { names(label: string): Naming | undefined } {
  const qLower = q.toLowerCase();
  const tokens = new Set<string>();
  const code = new Set<string>();
  for (const m of q.matchAll(/[A-Za-z0-9_$][\w$.-]*/g)) {
    const t = m[0].replace(/[.-]+$/, '');
    const lower = t.toLowerCase();
    tokens.add(lower);
    // A stem written as code: in backticks, or camelCase / snake_case / with a digit.
    const before = q[m.index - 1];
    if (before === '`' || /[a-z][A-Z]|_|[A-Za-z][0-9]/.test(t)) code.add(lower);
    for (const part of lower.split(/[.-]/)) if (part) tokens.add(part);
  }
  const plain = words(q);
  const pairs = new Set<string>();
  for (let i = 1; i < plain.length; i++) pairs.add(plain[i - 1] + '/' + plain[i]);
  const hasSlash = q.includes('/');
  return {
    names(label) {
      const l = label.toLowerCase();
      if (hasSlash && l.includes('/') && qLower.includes(l)) return 'path';
      const base = l.slice(l.lastIndexOf('/') + 1);
      const dot = base.lastIndexOf('.');
      const stem = dot > 0 ? base.slice(0, dot) : base;
      if (dot > 0 && tokens.has(base)) return 'name';
      if (stem.length >= 4 && !GENERIC_STEMS.has(stem) && tokens.has(stem)) return code.has(stem) ? 'stem' : 'word';
      const dirs = l.split('/');
      if (dot > 0) dirs[dirs.length - 1] = stem;
      const n = dirs.length;
      if (n >= 2 && pairs.has(dirs[n - 2] + '/' + dirs[n - 1])) return 'folder';
      if (n >= 3 && pairs.has(dirs[n - 3] + '/' + dirs[n - 2])) return 'folder';
      return undefined;
    },
  };
}

const GENERIC_STEMS = new Set([
  'index',
  'main',
  'test',
  'tests',
  'utils',
  'util',
  'types',
  'readme',
  'config',
  'setup',
  'init',
  'core',
  'common',
  'helpers',
  'constants',
  'data',
  'model',
  'models',
  'style',
  'styles',
  'package',
  'build',
  'server',
  'client',
  'base',
  'error',
  'errors',
  'app',
]);
