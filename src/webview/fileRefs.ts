// Workspace file references in model output: `src/a.ts:12`, `src/a.ts:12:5`, `src/a.ts#L12-L20`.
// The webview only recognises their shape; the host resolves them against the workspace roots
// and refuses anything outside.

export interface FileRef {
  path: string;
  /** 1-based. */
  line?: number;
  endLine?: number;
  column?: number;
}

// A relative or absolute path without a URL scheme (so no `C:` either) and not protocol-relative;
// `package.json:5` is a file and a line, not a scheme.
const PATH =
  String.raw`(?!\/\/)(?!(?:javascript|vbscript|data|file|blob|about|command|vscode[\w-]*):)` +
  String.raw`(?![A-Za-z][A-Za-z0-9+.-]*:(?!\d+(?:[:-]\d+)?$))[^\s#?:*"<>|]+`;
const HREF_REF = new RegExp(String.raw`^(${PATH})(?::(\d+)(?::(\d+)|-(\d+))?|#L(\d+)(?:-L?(\d+))?)?$`, 'i');
/** Inline code that is a file reference: needs a dot-extension, may carry a line. */
const CODE_REF =
  /^(?:\.{0,2}\/)?[\w@+-][\w@.+-]*(?:\/[\w@.+-]+)*\.[A-Za-z][A-Za-z0-9]{0,7}(?::\d+(?::\d+|-\d+)?|#L\d+(?:-L?\d+)?)?$/;

/** Parses a link target as a workspace file reference; undefined for URLs and other schemes. */
export function parseFileRef(href: string): FileRef | undefined {
  let decoded: string;
  try {
    decoded = decodeURI(href);
  } catch {
    return undefined;
  }
  const m = HREF_REF.exec(decoded.trim());
  if (!m) return undefined;
  const ref: FileRef = { path: m[1]! };
  const line = m[2] ?? m[5];
  const end = m[4] ?? m[6];
  if (line) ref.line = Number(line);
  if (m[3]) ref.column = Number(m[3]);
  if (end) ref.endLine = Number(end);
  return ref;
}

/** True when inline code text reads as a file reference (`src/a.ts:12`), so it becomes a link. */
export function isCodeFileRef(text: string): boolean {
  return text.length <= 300 && CODE_REF.test(text);
}
