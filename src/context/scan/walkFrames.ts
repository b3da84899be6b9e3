// The folders of a walk (walk.ts) and the rules in force in each: the .gitignore, .deepseekignore
// and .gitattributes lists found on the way down (and those above a folder inside a repository),
// and the decision, per path, of which rule leaves it out. Reading these files is all it does.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAttributes, type AttrList } from './gitAttributes';
import type { GitEnv } from './gitConfig';
import { findRepoTop, type GitRepo } from './gitRepo';
import { matchList, matchLists, parseRules, pathBytes, type RuleList, type RuleMatch } from './ignoreRules';
import { statSignature } from './freshness';
import { realpathOrUndefined } from './paths';
import type { RepoCache } from './repoCache';
import type { ExcludeReason, WorkspaceRoot } from '../types';

/** Why a path is left out, and the rule or setting that says so. */
export interface Exclusion {
  reason: ExcludeReason;
  detail: string;
}

/** A folder being walked, with the rules that apply in it. */
export interface Frame {
  abs: string;
  /** Real path of this folder (symlinks resolved). */
  real: string;
  rel: string;
  repo?: GitRepo;
  repoRel: string;
  /** .gitignore lists, deepest first; the repository's global lists follow them. */
  git: RuleList[];
  ds: RuleList[];
  /** .gitattributes files, deepest first (the repository's info/attributes goes before them). */
  attrs: AttrList[];
  /** Set when this folder is itself excluded but walked for tracked or included content. */
  inherited?: Exclusion;
  forced: boolean;
}

/** Where a walked entry is: its name in its folder, its paths, and whether an include pattern took it. */
export interface Place {
  name: string;
  abs: string;
  rel: string;
  repoRel: string;
  forced: boolean;
}

/** The frame of a child folder at `at` (`excl`: it is itself excluded but walked for tracked or included content). */
export function childFrame(parent: Frame, at: Place, excl: Exclusion | undefined): Frame {
  return {
    abs: at.abs,
    real: path.join(parent.real, at.name),
    rel: at.rel,
    repoRel: at.repoRel,
    git: parent.git,
    ds: parent.ds,
    attrs: parent.attrs,
    forced: at.forced,
    ...(parent.repo ? { repo: parent.repo } : {}),
    ...(excl ? { inherited: excl } : {}),
  };
}

/** A path met in a folder: whether it is a folder, and whether git tracks it. */
export interface PathInFrame {
  /** Relative to the walked root, POSIX. */
  rel: string;
  /** Relative to the repository's top. */
  repoRel: string;
  isDir: boolean;
  tracked: boolean;
}

/** Why `frame`'s path is excluded by the exclude setting, .deepseekignore or git's rules (first that applies). */
export function decide(frame: Frame, at: PathInFrame, exclude: RuleList): Exclusion | undefined {
  const { rel, repoRel, isDir, tracked } = at;
  const p = pathBytes(rel);
  const ex = matchList(exclude, p, isDir);
  if (ex && !ex.negative) return { reason: 'setting', detail: `exclude setting: ${ex.text}` };
  const ds = matchLists(frame.ds, p, isDir);
  if (ds) return ds.rule.negative ? undefined : { reason: 'deepseekignore', detail: describe(ds) };
  // Tracked files beat git's rules (as in git), never the user's own exclusions.
  if (frame.inherited && frame.inherited.reason !== 'gitignore') return frame.inherited;
  if (tracked) return undefined;
  if (frame.inherited) return frame.inherited;
  const git = matchLists(frame.git, pathBytes(repoRel), isDir, frame.repo?.ignoreCase);
  return git && !git.rule.negative ? { reason: 'gitignore', detail: describe(git) } : undefined;
}

/** True when an include pattern takes `rel`. */
export function isIncluded(include: RuleList, rel: string, isDir: boolean): boolean {
  if (!include.rules.length) return false;
  const r = matchList(include, pathBytes(rel), isDir);
  return !!r && !r.negative;
}

const describe = (m: RuleMatch) => `${m.list.source}:${m.rule.line}: ${m.rule.text}`;
export const relJoin = (a: string, b: string) => (a ? `${a}/${b}` : b);

/** What a walk notes besides its files: warnings, and what it read with each thing's stat signature. */
export interface WalkNotes {
  warnings: string[];
  /**
   * Every folder listed, rule file looked for and file stated, by absolute path, with its stat signature
   * (freshness.ts) taken before it was read: while none changes, a walk finds the same (`stillHolds`).
   */
  read: Map<string, string>;
}

/** The frame of a workspace folder: its repository, and the rule files above it inside that repository. */
export function rootFrame(root: WorkspaceRoot, opts: { repos: RepoCache; env: GitEnv }, out: WalkNotes): Frame {
  const real = realpathOrUndefined(root.path) ?? root.path;
  const found = findRepoTop(root.path);
  if (!found) {
    // No repository: .gitignore files still apply (as the root were a repository's top), plus the user's global
    // excludes.
    const repo = opts.repos.global(opts.env);
    return { abs: root.path, real, rel: '', repoRel: '', git: repo.globalLists, ds: [], attrs: [], forced: false };
  }
  const repo = opts.repos.get(found.top, found.gitDir, opts.env);
  out.warnings.push(...repo.warnings);
  const prefix = path.relative(found.top, root.path).split(path.sep).filter(Boolean);
  let git = [...repo.globalLists];
  let attrs: AttrList[] = [];
  // .gitignore and .gitattributes files between the repository's top and a root inside it apply too.
  for (let i = 0; i < prefix.length; i++) {
    const dirRel = prefix.slice(0, i).join('/');
    const dir = path.join(found.top, ...prefix.slice(0, i));
    const above = (name: string) => `${dirRel ? dirRel + '/' : ''}${name} (above the folder)`;
    const ignore = path.join(dir, '.gitignore');
    const attributes = path.join(dir, '.gitattributes');
    // Looked for, found or not: one created later changes the walk.
    out.read.set(ignore, statSignature(ignore));
    out.read.set(attributes, statSignature(attributes));
    if (fs.existsSync(ignore))
      git = [readList({ file: ignore, baseRel: dirRel, source: above('.gitignore'), parse: parseRules }, out), ...git];
    if (fs.existsSync(attributes))
      attrs = [
        readList({ file: attributes, baseRel: dirRel, source: above('.gitattributes'), parse: parseAttributes }, out),
        ...attrs,
      ];
  }
  return { abs: root.path, real, rel: '', repo, repoRel: prefix.join('/'), git, ds: [], attrs, forced: false };
}

/** A pattern file to read, and how to parse it. */
export interface RuleFile<T> {
  file: string;
  /** The folder it applies below, relative to its root or repository (empty: the top). */
  baseRel: string;
  /** How warnings and matches name it. */
  source: string;
  parse: (text: string, base: string, source: string) => T;
}

/**
 * Reads a pattern file (.gitignore, .deepseekignore, .gitattributes) applying below `baseRel`; an unreadable one is a
 * warning and counts as empty.
 */
export function readList<T>(list: RuleFile<T>, out: WalkNotes): T {
  const { file, baseRel, source, parse } = list;
  out.read.set(file, statSignature(file));
  let text = '';
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    out.warnings.push(`cannot read ${source}: ${(e as Error).message}`);
  }
  return parse(text, baseRel ? baseRel + '/' : '', source);
}
