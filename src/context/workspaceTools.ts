// The workspace as the agent's tools see it: `read_files`, `search` and the files an
// edit targets go through the same path rules, ignore files, size limit and secret redaction as the
// pack, so a tool result never carries what the repository block would not. A path the model names
// is taken as a pack label (root-relative; `root/…` in a multi-root workspace); an absolute path,
// `..`, a symlink leading out, a secret, binary or ignored file, or a missing path is refused with
// one line, never an exception. How a path becomes a label, and the words of a refusal, are in
// toolPaths.ts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileState } from './read/fileStore';
import { isWithin, realpathOrUndefined } from './scan/paths';
import type { WalkResult, WalkedFile } from './scan/walk';
import { secretFileRule } from './secrets';
import { exclusionOf, locate, reasonText, toolLabel, unknownPath, type ToolView } from './toolPaths';
import type { WorkspaceRoot } from './types';

export { absOfLabel, reasonText, toolLabel, type ToolText, type ToolView } from './toolPaths';

/** One path of `read_files`: its text as the pack would send it (normalised, secrets redacted), or why not. */
export type FileRead =
  | { path: string; ok: true; text: string; redactions: number }
  /** `reason`: one line, e.g. "outside the workspace", "a secret file (env-file)", "no such file". */
  | { path: string; ok: false; reason: string };

export interface SearchQuery {
  /** A JavaScript regular expression (source); matched line by line. */
  pattern: string;
  /** Only files under this workspace-relative folder or file. */
  path?: string;
  /** Matches to return at most; the rest are counted. */
  maxMatches: number;
}

export interface SearchMatch {
  path: string;
  /** 1-based. */
  line: number;
  /** The line, secrets redacted. */
  text: string;
}

export type SearchOutcome =
  | { ok: true; matches: SearchMatch[]; /** matches not returned */ more: number; filesSearched: number }
  | { ok: false; reason: string };

/**
 * A file an edit targets: its exact current text (not redacted; undefined: it does not exist yet), or why it may not be
 * edited.
 */
export type EditTarget =
  | { path: string; ok: true; text: string | undefined; abs: string }
  | { path: string; ok: false; reason: string };

/** A ToolView over a walk and the file store's states (what ContextEngine.toolView builds). */
export function toolViewOf(input: {
  roots: WorkspaceRoot[];
  walked: WalkResult;
  labelOf: (f: WalkedFile) => string;
  state: (f: WalkedFile) => FileState | undefined;
  sent: (state: FileState) => { text: string; findings: unknown[] };
  unsaved: (abs: string) => string | undefined;
}): ToolView {
  const multi = input.roots.length > 1;
  return {
    roots: input.roots,
    files: new Map(input.walked.files.map((f) => [input.labelOf(f), f])),
    excluded: new Map(input.walked.excluded.map((x) => [multi ? `${x.root}/${x.path}` : x.path, x])),
    sentText: (f) => {
      const state = input.state(f);
      if (!state) return { ok: false, reason: 'vanished' };
      if (!state.result.ok)
        return {
          ok: false,
          reason: state.result.reason,
          ...(state.result.detail ? { detail: state.result.detail } : {}),
        };
      const sent = input.sent(state);
      return { ok: true, text: sent.text, redactions: sent.findings.length };
    },
    exactText: (f) => input.unsaved(f.abs) ?? fs.readFileSync(f.abs, 'utf8'),
  };
}

/** Longest line a search result shows (characters); a longer one is cut with `…`. */
const MAX_LINE_CHARS = 300;
/** Lines longer than this are searched only up to it (characters): minified text would stall a regex. */
const MAX_SEARCH_LINE_CHARS = 4_000;

/** True when every label is known to `view` (walked, excluded, or under an excluded folder). */
export function knowsAll(view: ToolView, labels: string[]): boolean {
  return labels.every((l) => view.files.has(l) || exclusionOf(view, l) !== undefined);
}

/** `read_files` over `view`: each path's sent text or a one-line refusal, in the order given. */
export function readFilesIn(view: ToolView, paths: string[]): FileRead[] {
  return paths.map((raw): FileRead => {
    const label = toolLabel(view.roots, raw);
    if (!label.ok) return { path: raw, ok: false, reason: label.reason };
    const file = view.files.get(label.label);
    if (!file) return { path: label.label, ok: false, reason: unknownPath(view, label.label) };
    const t = view.sentText(file);
    return t.ok
      ? { path: label.label, ok: true, text: t.text, redactions: t.redactions }
      : { path: label.label, ok: false, reason: reasonText(t.reason, t.detail) };
  });
}

/** `search` over `view`: matching lines of the files the pack considers, secrets redacted before matching. */
export function searchIn(view: ToolView, query: SearchQuery, signal?: AbortSignal): SearchOutcome {
  let re: RegExp;
  try {
    re = new RegExp(query.pattern, 'u');
  } catch (e) {
    try {
      re = new RegExp(query.pattern); // patterns written for the non-Unicode mode (e.g. `\-`)
    } catch {
      return { ok: false, reason: `not a valid regular expression: ${(e as Error).message}` };
    }
  }
  let scope: string | undefined;
  if (query.path !== undefined && query.path.trim() !== '' && query.path.trim() !== '.') {
    const label = toolLabel(view.roots, query.path);
    if (!label.ok) return { ok: false, reason: `path ${JSON.stringify(query.path)}: ${label.reason}` };
    scope = label.label;
    const excluded = view.files.has(scope) ? undefined : exclusionOf(view, scope);
    if (excluded) return { ok: false, reason: `path ${scope}: ${excluded}` };
    if (!view.files.has(scope) && ![...view.files.keys()].some((l) => l.startsWith(`${scope}/`)))
      return { ok: false, reason: `path ${scope}: no file of the workspace is there` };
  }
  const matches: SearchMatch[] = [];
  let more = 0;
  let searched = 0;
  const labels = [...view.files.keys()].filter((l) => !scope || l === scope || l.startsWith(`${scope}/`)).sort();
  for (const [i, label] of labels.entries()) {
    if (i % 200 === 199) signal?.throwIfAborted();
    const t = view.sentText(view.files.get(label)!);
    if (!t.ok) continue;
    searched++;
    const lines = t.text.split('\n');
    for (let n = 0; n < lines.length; n++) {
      const line = lines[n]!;
      if (!re.test(line.length > MAX_SEARCH_LINE_CHARS ? line.slice(0, MAX_SEARCH_LINE_CHARS) : line)) continue;
      if (matches.length >= query.maxMatches) more++;
      else
        matches.push({
          path: label,
          line: n + 1,
          text: line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}…` : line,
        });
    }
  }
  return { ok: true, matches, more, filesSearched: searched };
}

/**
 * The files edits target, in the order given: each one's exact text (undefined for a file that does
 * not exist yet, which may be created where the pack would take it), or why it may not be edited.
 */
export function editTargetsIn(view: ToolView, paths: string[]): EditTarget[] {
  return paths.map((raw): EditTarget => {
    const label = toolLabel(view.roots, raw);
    if (!label.ok) return { path: raw, ok: false, reason: label.reason };
    const l = label.label;
    const { root, rel, abs } = locate(view.roots, l);
    const file = view.files.get(l);
    if (file) {
      const t = view.sentText(file);
      if (!t.ok) return { path: l, ok: false, reason: reasonText(t.reason, t.detail) };
      return { path: l, ok: true, text: view.exactText(file), abs: file.abs };
    }
    const excluded = exclusionOf(view, l);
    if (excluded) return { path: l, ok: false, reason: excluded };
    if (realpathOrUndefined(abs) !== undefined) return { path: l, ok: false, reason: unknownPath(view, l) };
    const secret = secretFileRule(rel);
    if (secret) return { path: l, ok: false, reason: `a secret file (${secret}): the agent does not write them` };
    // A new file: the nearest folder that exists must be inside the workspace (no symlink out).
    let dir = path.dirname(abs);
    while (realpathOrUndefined(dir) === undefined && dir !== path.dirname(dir)) dir = path.dirname(dir);
    const rootReal = realpathOrUndefined(root.path) ?? root.path;
    const real = realpathOrUndefined(dir);
    if (!real || !isWithin(real, rootReal))
      return { path: l, ok: false, reason: 'outside the workspace (a symlink leads out)' };
    if (!fs.statSync(real).isDirectory())
      return { path: l, ok: false, reason: 'a file stands where its folder would be' };
    return { path: l, ok: true, text: undefined, abs };
  });
}
