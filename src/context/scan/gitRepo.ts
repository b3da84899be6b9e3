// What the scan needs to know about a git repository, read from its files: where it is (a `.git`
// directory or a worktree/submodule `.git` file), its global ignore lists (info/exclude,
// core.excludesFile), case sensitivity, and its tracked files (from the index; `git ls-files` as a
// fallback). Works without git installed and without a repository (then there is simply none).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { excludesFilePath, readGitConfig, readIfExists, type GitEnv } from './gitConfig';
import { cleanStatKey, parseIndex, UnsupportedIndex, type IndexEntry } from './gitIndex';
import { parseAttributes, type AttrList } from './gitAttributes';
import { parseRules, type RuleList } from './ignoreRules';

export interface GitRepo {
  /** Absolute path of the working tree's top. */
  top: string;
  gitDir: string;
  commonDir: string;
  ignoreCase: boolean;
  /** info/exclude then the excludes file: checked after every .gitignore, in this order. */
  globalLists: RuleList[];
  /** $GIT_DIR/info/attributes (linguist attributes only): checked before every .gitattributes. */
  infoAttributes: AttrList[];
  /** Tracked path (relative to top) -> blob id. */
  tracked: Map<string, string>;
  /**
   * Tracked path -> the stat key (gitIndex.ts `statKey`) under which the file still holds its blob, for entries git
   * recorded a stat for that is not racily clean: a file with that stat needs no hashing to know it is unchanged.
   */
  cleanStat: Map<string, string>;
  /** Every directory (relative to top, no trailing slash) that holds a tracked path. */
  trackedDirs: Set<string>;
  /** Problems met while reading (an unreadable index, ...). */
  warnings: string[];
}

/** The git directory named by `<dir>/.git` (a directory, or a file `gitdir: ...`), if any. */
export function gitDirAt(dir: string): string | undefined {
  const dotGit = path.join(dir, '.git');
  let st: fs.Stats;
  try {
    st = fs.statSync(dotGit);
  } catch {
    return undefined;
  }
  if (st.isDirectory()) return fs.existsSync(path.join(dotGit, 'HEAD')) ? dotGit : undefined;
  const m = /^gitdir:\s*(.+?)\s*$/m.exec(readIfExists(dotGit) ?? '');
  return m ? path.resolve(dir, m[1]!) : undefined;
}

/** The nearest directory at or above `dir` that is the top of a git working tree. */
export function findRepoTop(dir: string): { top: string; gitDir: string } | undefined {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const gitDir = gitDirAt(d);
    if (gitDir) return { top: d, gitDir };
    if (path.dirname(d) === d) return undefined;
  }
}

/** Reads a repository's ignore lists and tracked files. */
export function loadGitRepo(top: string, gitDir: string, env: GitEnv, allowGit = true): GitRepo {
  const warnings: string[] = [];
  const commonRel = readIfExists(path.join(gitDir, 'commondir'))?.trim();
  const commonDir = commonRel ? path.resolve(gitDir, commonRel) : gitDir;
  const config = readGitConfig(env, path.join(commonDir, 'config'));
  const ignoreCase = config.get('core.ignorecase') === 'true';
  const globalLists: RuleList[] = [];
  const infoExclude = readIfExists(path.join(commonDir, 'info', 'exclude'));
  if (infoExclude !== undefined) globalLists.push(parseRules(infoExclude, '', '.git/info/exclude'));
  const excludesFile = excludesFilePath(config, env);
  const excludes = excludesFile && readIfExists(excludesFile);
  if (excludes) globalLists.push(parseRules(excludes, '', excludesFile));
  const infoAttributesText = readIfExists(path.join(commonDir, 'info', 'attributes'));
  const infoAttributes =
    infoAttributesText === undefined ? [] : [parseAttributes(infoAttributesText, '', '.git/info/attributes')];
  const hashBytes = config.get('extensions.objectformat') === 'sha256' ? 32 : 20;
  const { entries, mtimeMs } = readTracked(top, gitDir, hashBytes, warnings, allowGit);
  const tracked = new Map<string, string>();
  const cleanStat = new Map<string, string>();
  const trackedDirs = new Set<string>();
  for (const e of entries) {
    const p = e.path.endsWith('/') ? e.path.slice(0, -1) : e.path; // sparse directory entries end in '/'
    tracked.set(p, e.oid);
    const key = mtimeMs === undefined ? undefined : cleanStatKey(e, mtimeMs);
    if (key !== undefined) cleanStat.set(p, key);
    for (let i = p.lastIndexOf('/'); i > 0; i = p.lastIndexOf('/', i - 1)) {
      const dir = p.slice(0, i);
      if (trackedDirs.has(dir)) break;
      trackedDirs.add(dir);
    }
    if (e.mode === 0o040000 || e.mode === 0o160000) trackedDirs.add(p);
  }
  return {
    top,
    gitDir,
    commonDir,
    ignoreCase,
    globalLists,
    infoAttributes,
    tracked,
    cleanStat,
    trackedDirs,
    warnings,
  };
}

/**
 * The index's entries, and the index file's modification time (ms) when they come from it: stated on the descriptor
 * read, so an index written again meanwhile is judged by its own time.
 */
function readTracked(
  top: string,
  gitDir: string,
  hashBytes: number,
  warnings: string[],
  allowGit: boolean,
): { entries: IndexEntry[]; mtimeMs?: number } {
  let buf: Buffer;
  let mtimeMs: number;
  try {
    const fd = fs.openSync(path.join(gitDir, 'index'), 'r');
    try {
      mtimeMs = fs.fstatSync(fd).mtimeMs;
      buf = fs.readFileSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return { entries: [] }; // a new repository has no index yet
  }
  try {
    return { entries: parseIndex(buf, hashBytes), mtimeMs };
  } catch (e) {
    if (!(e instanceof UnsupportedIndex) && !(e instanceof RangeError)) throw e;
    try {
      if (!allowGit) throw e;
      const out = execFileSync('git', ['-C', top, '-c', 'core.fsmonitor=false', 'ls-files', '-s', '-z'], {
        encoding: 'utf8',
        maxBuffer: 1 << 30,
        timeout: 30_000,
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      const entries = out
        .split('\0')
        .filter(Boolean)
        .map((line) => {
          const m = /^(\d+) ([0-9a-f]+) \d\t(.*)$/s.exec(line);
          if (!m) throw new Error(`unexpected git ls-files line: ${JSON.stringify(line.slice(0, 200))}`);
          return { mode: parseInt(m[1]!, 8), oid: m[2]!, path: m[3]! };
        });
      return { entries };
    } catch {
      warnings.push(
        `cannot read the git index of ${top} (${e.message}); tracked files that match ignore rules are left out`,
      );
      return { entries: [] };
    }
  }
}

/** The commit HEAD points at (hex), read from the files; undefined on an unborn branch. */
export function readHead(gitDir: string, commonDir: string): string | undefined {
  let head = readIfExists(path.join(gitDir, 'HEAD'))?.trim();
  for (let i = 0; head?.startsWith('ref: ') && i < 5; i++) {
    const ref = head.slice(5).trim();
    head = (readIfExists(path.join(gitDir, ref)) ?? readIfExists(path.join(commonDir, ref)))?.trim();
    if (head === undefined) {
      const packed = readIfExists(path.join(commonDir, 'packed-refs')) ?? '';
      head = packed
        .split('\n')
        .find((l) => l.endsWith(` ${ref}`))
        ?.split(' ')[0];
    }
  }
  return head && /^[0-9a-f]{40,64}$/.test(head) ? head : undefined;
}
