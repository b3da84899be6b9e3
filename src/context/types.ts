// The data the context engine produces: what was scanned, what goes into the prompt, and why.
// These shapes are a contract: `deepseek-repo pack --json` prints them, the inspector shows them,
// and the chat layer stores a pack's manifest with each conversation.

/** One folder of the workspace; `name` labels it in the pack (multi-root workspaces). */
export interface WorkspaceRoot {
  name: string;
  /** Absolute path. */
  path: string;
}

export type FileStatus = 'included' | 'outline' | 'excluded';

/** Why a path is not in the pack whole. Stable strings: scripts and tests match on them. */
export type ExcludeReason =
  | 'gitignore' // a .gitignore / .git/info/exclude / core.excludesFile rule
  | 'deepseekignore' // a .deepseekignore rule
  | 'setting' // deepseekRepo exclude setting or --exclude
  | 'binary' // NUL byte in the first 8,000 bytes, or a known binary type
  | 'too-large' // over the size limit (bytes)
  | 'lockfile'
  | 'minified'
  | 'generated'
  | 'secret-file' // path deny-list: .env, private keys, credential files
  | 'symlink-outside' // a symlink whose real path leaves the workspace
  | 'symlink-loop'
  | 'duplicate' // a symlink to a file or folder that is already in the pack under its own path
  | 'unreadable'
  | 'vanished' // deleted between listing and reading
  | 'invalid-utf8'
  | 'budget'; // did not fit the token budget (see `outline` status for the middle ground)

export interface FileReport {
  /** Root label, as in WorkspaceRoot.name. */
  root: string;
  /** Path relative to the root, POSIX separators; in multi-root packs prefixed with `root/`. */
  path: string;
  /** Size on disk (bytes). */
  bytes: number;
  /** Tokens this file contributes to the pack (0 when excluded; the outline's tokens when outlined). */
  tokens: number;
  status: FileStatus;
  /** Present when status is `excluded` (and for `outline`, why it is not whole). */
  reason?: ExcludeReason;
  /** Free-text detail for the reason (e.g. the ignore rule and its file). */
  detail?: string;
  /** sha256 of the file's packed (redacted, normalised) text; absent when excluded. */
  hash?: string;
  /** Packed from an editor's unsaved text (ContextEngine.setUnsaved), not from the file on disk. */
  unsaved?: true;
  /**
   * When the repository did not fit and the files were ranked: the main reasons for this file's
   * place, strongest first (e.g. "named in the question", "defines approx", "question words: cache,
   * query", "past commits: select, value"); absent or empty when nothing in the question or the editor points at it.
   */
  reasons?: string[];
  /** When the files were ranked: this file's place, 1 = the best. */
  rank?: number;
  /**
   * When the files were ranked: why the budget gave the file its status, in a phrase (whole first because the
   * question or the editor points at it; whole while the budget lasted; an outline or left out for lack of room).
   */
  placement?: string;
}

/** GitHub Linguist's overrides for a file, from .gitattributes (gitAttributes.ts); absent = not specified. */
export interface Linguist {
  generated?: boolean;
  vendored?: boolean;
  documentation?: boolean;
}

/** A secret replaced in the pack. Never carries the secret itself. */
export interface Redaction {
  path: string;
  /** 1-based line. */
  line: number;
  /** Rule id, e.g. `aws-access-key-id`, `github-pat`, `private-key-block`. */
  rule: string;
}

/** What the user chose to send: patterns use .gitignore syntax (one pattern an entry, relative to each root). */
export interface ContextSettings {
  /**
   * Always included when matched (beats ignore files, lockfile/minified/generated and the size limit; never secrets or
   * binary content).
   */
  include: string[];
  /** Never included when matched (unless an include pattern matches too). */
  exclude: string[];
  /** Files larger than this are left out with reason `too-large` (bytes). */
  maxFileBytes: number;
}

export const DEFAULT_CONTEXT_SETTINGS: ContextSettings = { include: [], exclude: [], maxFileBytes: 1_048_576 };

/** Where the user is, used to rank files when the repository does not fit. All paths absolute. */
export interface EditorFocus {
  activeFile?: string;
  selection?: { startLine: number; endLine: number };
  openFiles?: string[];
  /** Files changed in git (staged, unstaged, untracked). */
  changedFiles?: string[];
  /** Files or folders to put first and whole (e.g. Ask About Folder). */
  pinned?: string[];
}

export interface PackRequest {
  /** Tokens the repository block may use (already net of output and conversation). */
  budgetTokens: number;
  /** The question, for lexical ranking and files named in it. */
  question?: string;
  focus?: EditorFocus;
  /**
   * `updatesSince` only: tokens a follow-up may append for its question when the repository did not
   * fit (files the conversation has only outlined or left out, whole); none when absent.
   */
  joinTokens?: number;
}

/** Enough to tell later whether the repository changed and what to append (stored with conversations). */
export interface PackManifest {
  /**
   * Identity of the pack text: sha256 over the header and, per block, its path, kind and content
   * hash. Equal for equal texts, different when any byte differs (not sha256 of the text itself,
   * which would cost a pass over megabytes on every re-pack).
   */
  hash: string;
  tokens: number;
  /** path -> content hash, for included and outlined files. */
  files: Record<string, string>;
  /** The paths sent as outlines (sorted); absent when none were. */
  outlined?: string[];
  /** Set when the repository did not fit: some file was outlined or left out to fit the budget. */
  partial?: true;
}

export interface Pack {
  /** The exact repository block sent to the model. Deterministic bytes for a given repository state. */
  text: string;
  /** Estimated tokens of `text`. */
  tokens: number;
  manifest: PackManifest;
  roots: WorkspaceRoot[];
  files: FileReport[];
  redactions: Redaction[];
  /** Problems that did not stop the scan (unreadable files, loops, ...), for the inspector and logs. */
  warnings: string[];
  stats: {
    scannedFiles: number;
    /** Bytes read from disk for this pack (0 when every file came from the warm cache). */
    readBytes: number;
    elapsedMs: number;
    tokenCacheHits: number;
    /** Files read from disk for this pack. */
    readFiles?: number;
  };
}

/** Files changed since a manifest, rendered as an "updated files" section to append after the prefix. */
export interface PackDelta {
  /** Empty string when nothing changed. */
  text: string;
  tokens: number;
  changed: string[];
  added: string[];
  removed: string[];
  redactions: Redaction[];
  /**
   * Content hash of each changed or added file, as in `PackManifest.files`, so the caller can chain
   * deltas (the next `updatesSince` gets the manifest with these applied). Optional for old engines;
   * without it a changed file is sent again on every later turn.
   */
  files?: Record<string, string>;
  /** Files appended whole because the question points at them (`PackRequest.joinTokens`), best first. */
  joined?: JoinedFile[];
  /** Files the question points at that did not fit the room it was given (not appended). */
  unjoined?: string[];
  /** Changed or added files this section sends as outlines (the conversation had them so). */
  outlined?: string[];
}

/** A file a follow-up appended whole for its question, and why. */
export interface JoinedFile {
  path: string;
  /** Tokens of its block. */
  tokens: number;
  /** How the conversation had it before. */
  was: 'outlined' | 'left out';
  /** The main reasons of its rank for the question, strongest first (as in FileReport.reasons). */
  reasons: string[];
}
