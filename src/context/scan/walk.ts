// Walks the workspace folders and decides, per path and without reading file contents, what may go
// into the pack. Precedence (first that applies): include pattern > exclude setting > .deepseekignore
// (deepest first; `!` re-includes) > git's rules (.gitignore deepest first, info/exclude,
// core.excludesFile; tracked files stay in). An ignored folder is reported once (`node_modules/`)
// and not walked. Symlinks are followed only inside the workspace; loops and duplicates reported.
// .gitattributes files give each file's linguist attributes (generated files are left out). A
// .deepseekignore is the extension's configuration, never sent as repository content. The rules in
// force in each folder, and which of them leaves a path out, are in walkFrames.ts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { linguistOf, parseAttributes } from './gitAttributes';
import type { GitEnv } from './gitConfig';
import { gitDirAt, type GitRepo } from './gitRepo';
import { couldMatchBelow, parseRules, rulesFromPatterns } from './ignoreRules';
import { isBinaryName, nameExclusion } from './fileKinds';
import { signatureOf, statSignature } from './freshness';
import { isWithin, realpathOrUndefined, statOrUndefined } from './paths';
import type { RepoCache } from './repoCache';
import {
  childFrame,
  decide,
  isIncluded,
  readList,
  relJoin,
  rootFrame,
  type Exclusion,
  type Frame,
  type Place,
  type WalkNotes,
} from './walkFrames';
import { secretFileRule } from '../secrets';
import type { ContextSettings, ExcludeReason, FileReport, Linguist, WorkspaceRoot } from '../types';

/**
 * A name that is not valid UTF-8 comes from the directory listing with U+FFFD in place of its bytes, and no file has
 * that decoded name: it cannot be opened by it, though it is there.
 */
const badName = (name: string) => name.includes('\uFFFD');
const NOT_UTF8 = 'its name is not valid UTF-8';

/** A file that passed every path rule: it will be read (or taken from the warm cache). */
export interface WalkedFile {
  root: WorkspaceRoot;
  /** Path relative to its root, POSIX. */
  rel: string;
  abs: string;
  size: number;
  /** Stat signature for change detection: size, mtime, ctime, inode. */
  sig: string;
  mtimeMs: number;
  /** An include pattern matched: default exclusions found in the content do not apply. */
  forced: boolean;
  /** Blob id in the git index when tracked. */
  indexOid?: string;
  /** The stat key (gitIndex.ts) under which the file holds `indexOid` unhashed, when the index has a trusted one. */
  indexStat?: string;
  repo?: GitRepo;
  /** Path relative to the repository top (for git history). */
  repoRel: string;
  /** Linguist attributes the .gitattributes files specify for the file. */
  linguist?: Linguist;
}

export interface WalkResult extends WalkNotes {
  files: WalkedFile[];
  /** Excluded paths; `path` is root-relative (folders end in '/'), `root` is the root's name. */
  excluded: FileReport[];
}

export interface WalkOptions {
  settings: ContextSettings;
  env: GitEnv;
  /** Repositories already read, by top (reused while their files are unchanged). */
  repos: RepoCache;
  signal?: AbortSignal;
}

/** Walks every root; never throws for a single bad path (reported in `excluded` / `warnings`). */
export async function walkRoots(roots: WorkspaceRoot[], opts: WalkOptions): Promise<WalkResult> {
  const out: WalkResult = { files: [], excluded: [], warnings: [], read: new Map() };
  const include = rulesFromPatterns(opts.settings.include, 'include setting');
  const exclude = rulesFromPatterns(opts.settings.exclude, 'exclude setting');
  const reals = roots.map((r) => realpathOrUndefined(r.path) ?? r.path);
  const inWorkspace = (real: string) => reals.some((r) => isWithin(real, r));
  let dirs = 0;
  for (const root of roots) {
    const visitedReal = new Set<string>();
    const fileReals = new Map<string, string>();
    const deferred: (() => void)[] = [];
    const stack: Frame[] = [rootFrame(root, opts, out)];
    const report = (rel: string, isDir: boolean, reason: ExcludeReason, detail?: string, bytes = 0) =>
      out.excluded.push({
        root: root.name,
        path: isDir ? rel + '/' : rel,
        bytes,
        tokens: 0,
        status: 'excluded',
        reason,
        ...(detail ? { detail } : {}),
      });

    const walkDir = (frame: Frame) => {
      visitedReal.add(frame.real);
      out.read.set(frame.abs, statSignature(frame.abs));
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(frame.abs, { withFileTypes: true });
      } catch (e) {
        if (frame.rel && badName(frame.rel)) report(frame.rel, true, 'unreadable', NOT_UTF8);
        else if (frame.rel)
          report(
            frame.rel,
            true,
            (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'vanished' : 'unreadable',
            (e as Error).message,
          );
        else out.warnings.push(`cannot read ${frame.abs}: ${(e as Error).message}`);
        return;
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      if (frame.rel && entries.some((e) => e.name === '.git')) {
        const nestedGitDir = gitDirAt(frame.abs);
        if (nestedGitDir) {
          // A repository inside the workspace: its own rules and index, as git sees it from inside.
          frame.repo = opts.repos.get(frame.abs, nestedGitDir, opts.env);
          out.warnings.push(...frame.repo.warnings);
          frame.repoRel = '';
          frame.git = [...frame.repo.globalLists];
          frame.attrs = [];
        }
      }
      const rules = <T>(name: string, base: string, parse: (text: string, base: string, source: string) => T) =>
        entries.some((e) => e.name === name && e.isFile())
          ? readList({ file: path.join(frame.abs, name), baseRel: base, source: relJoin(frame.rel, name), parse }, out)
          : undefined;
      const gi = frame.inherited ? undefined : rules('.gitignore', frame.repoRel, parseRules);
      if (gi) frame.git = [gi, ...frame.git];
      const ga = rules('.gitattributes', frame.repoRel, parseAttributes);
      if (ga) frame.attrs = [ga, ...frame.attrs];
      const di = rules('.deepseekignore', frame.rel, parseRules);
      if (di) frame.ds = [di, ...frame.ds];
      const children: Frame[] = [];
      // path.join(folder, name) for each entry, the folder's part joined once: a name from readdir is a plain segment.
      const absDir = path.join(frame.abs, '_').slice(0, -1);
      const realDir = path.join(frame.real, '_').slice(0, -1);
      for (const entry of entries) {
        if (entry.name === '.git') continue; // git's own metadata, never content
        const rel = relJoin(frame.rel, entry.name);
        const abs = absDir + entry.name;
        const isLink = entry.isSymbolicLink();
        const isDir = entry.isDirectory();
        const repoRel = relJoin(frame.repoRel, entry.name);
        const tracked = frame.repo
          ? isDir
            ? frame.repo.trackedDirs.has(repoRel)
            : frame.repo.tracked.has(repoRel)
          : false;
        const forced = frame.forced || isIncluded(include, rel, isDir);
        const at: Place = { name: entry.name, abs, rel, repoRel, forced };
        let excl: Exclusion | undefined;
        if (!forced) excl = decide(frame, { rel, repoRel, isDir, tracked: tracked && !isDir }, exclude);
        if (isDir) {
          const reachIn = excl && ((excl.reason === 'gitignore' && tracked) || couldMatchBelow(include, rel));
          if (excl && !reachIn) report(rel, true, excl.reason, excl.detail);
          else children.push(childFrame(frame, at, excl));
          continue;
        }
        if (excl) {
          report(rel, false, excl.reason, excl.detail);
          continue;
        }
        if (isLink) {
          const real = realpathOrUndefined(abs);
          const st = real === undefined ? undefined : statOrUndefined(real);
          if (real === undefined || !st) report(rel, false, 'unreadable', 'broken symlink');
          else if (!inWorkspace(real)) report(rel, false, 'symlink-outside', `points to ${real}`);
          else if (st.isDirectory()) {
            if (isWithin(frame.real, real)) report(rel, true, 'symlink-loop', `points to its own ancestor ${real}`);
            else
              deferred.push(() => {
                if (visitedReal.has(real))
                  report(rel, true, 'duplicate', `same folder as ${path.relative(root.path, real) || '.'}`);
                else walkDir({ ...childFrame(frame, at, undefined), real });
              });
          } else if (st.isFile())
            deferred.push(() => {
              const same = fileReals.get(real);
              if (same !== undefined) report(rel, false, 'duplicate', `same file as ${same}`);
              else addFile(frame, at, real);
            });
          continue;
        }
        if (entry.isFile()) addFile(frame, at, realDir + entry.name);
      }
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
    };

    const addFile = (frame: Frame, at: Place, real: string) => {
      const { name, abs, rel, repoRel, forced } = at;
      const secret = secretFileRule(rel);
      if (secret) return report(rel, false, 'secret-file', secret);
      if (isBinaryName(name)) return report(rel, false, 'binary', 'binary file type');
      const st = statOrUndefined(abs);
      const sig = signatureOf(st);
      out.read.set(abs, sig);
      if (!st) return badName(name) ? report(rel, false, 'unreadable', NOT_UTF8) : report(rel, false, 'vanished');
      // The extension's own configuration: its rules apply, its text is not repository content.
      if (!forced && name === '.deepseekignore')
        return report(rel, false, 'deepseekignore', "DeepSeek Repo's own ignore file (its rules apply)", st.size);
      const info = frame.repo?.infoAttributes ?? [];
      const { linguist, from } = linguistOf(
        info.length ? [...info, ...frame.attrs] : frame.attrs,
        repoRel,
        frame.repo?.ignoreCase,
      );
      if (!forced && linguist.generated)
        return report(rel, false, 'generated', `linguist-generated in ${from.generated}`, st.size);
      const kind = forced ? undefined : nameExclusion(name);
      if (kind && !(kind === 'generated' && linguist.generated === false))
        return report(rel, false, kind, undefined, st.size);
      if (!forced && st.size > opts.settings.maxFileBytes)
        return report(rel, false, 'too-large', `${st.size} bytes > ${opts.settings.maxFileBytes}`, st.size);
      fileReals.set(real, rel);
      const indexOid = frame.repo?.tracked.get(repoRel);
      const indexStat = indexOid ? frame.repo?.cleanStat.get(repoRel) : undefined;
      out.files.push({
        root,
        rel,
        abs,
        size: st.size,
        sig,
        mtimeMs: st.mtimeMs,
        forced,
        repoRel,
        ...(frame.repo ? { repo: frame.repo } : {}),
        ...(indexOid ? { indexOid } : {}),
        ...(indexStat ? { indexStat } : {}),
        ...(Object.keys(linguist).length ? { linguist } : {}),
      });
    };

    for (;;) {
      while (stack.length) {
        walkDir(stack.pop()!);
        if (++dirs % 256 === 0) {
          await new Promise((r) => setImmediate(r));
          opts.signal?.throwIfAborted();
        }
      }
      const next = deferred.shift();
      if (!next) break;
      next();
    }
  }
  return out;
}

/** How a pack labels the files of `roots`: root-relative, under the root's name when there are several. */
export function packLabeller(roots: readonly WorkspaceRoot[]): (f: WalkedFile) => string {
  const multi = roots.length > 1;
  return (f) => (multi ? `${f.root.name}/${f.rel}` : f.rel);
}
