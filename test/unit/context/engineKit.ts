// The small project the ContextEngine tests pack: a fresh tree and cache folder for each test (a TypeScript
// pair, a README with Windows line endings, an ignored build folder), and engines that are disposed after it.
import * as fs from 'node:fs';
import { ContextEngine, type ContextEngineOptions } from '../../../src/context/engine';
import type { Pack } from '../../../src/context/types';
import { tempDir, writeTree } from '../../helpers/tmp';

export const BIG = 1_000_000;
export const byPath = (pack: Pack) => new Map(pack.files.map((f) => [f.path, f]));

export interface SmallProject {
  /** The project's root folder (new for each test). */
  readonly dir: string;
  /** The engine's cache folder (new for each test). */
  readonly cache: string;
  /** The engines made in this test, disposed after it. */
  readonly engines: ContextEngine[];
  /** An engine over the project, inline reading, caching in `cache`. */
  engine(opts?: Partial<ContextEngineOptions>): ContextEngine;
}

/** Registers the hooks that make the project before each test and remove it after; call inside a describe. */
export function smallProject(): SmallProject {
  let dir = '';
  let cache = '';
  const engines: ContextEngine[] = [];
  beforeEach(() => {
    dir = tempDir('dsr-engine-');
    cache = tempDir('dsr-cache-');
    writeTree(dir, {
      'src/a.ts': 'export const a = 1;\n',
      'src/b.ts': "import { a } from './a';\nexport const b = a + 1;\n",
      'README.md': '# Project\r\nWindows line endings\r\n',
      '.gitignore': 'out/\n',
      'out/x.js': 'built();\n',
    });
  });
  afterEach(() => {
    engines.splice(0).forEach((e) => e.dispose());
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(cache, { recursive: true, force: true });
  });
  return {
    get dir() {
      return dir;
    },
    get cache() {
      return cache;
    },
    engines,
    engine(opts: Partial<ContextEngineOptions> = {}) {
      const e = new ContextEngine({
        roots: [{ name: 'proj', path: dir }],
        cacheDir: cache,
        workers: 0,
        gitEnv: { home: cache },
        ...opts,
      });
      engines.push(e);
      return e;
    },
  };
}
