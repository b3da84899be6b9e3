// `read_files` and `search`: they run without asking and read only what the pack may send (the
// workspace port goes through src/context). read_files appends whole files in the pack's own
// `<file path="…">` form, up to a token cap per call; search answers `path:line: text` lines.
import { fileBlock } from '../../context/place/render';
import { countTokens } from '../../context/tokens';
import type { ToolSettings, WorkspacePort } from './ports';
import { plural, type ToolOutcome } from './toolResult';

/** Runs `read_files` for `paths`. */
export async function readFilesTool(
  paths: string[],
  workspace: WorkspacePort,
  settings: ToolSettings,
  signal?: AbortSignal,
): Promise<ToolOutcome> {
  const results = await workspace.readFiles(paths, signal);
  const parts: string[] = [];
  const files: { path: string; ok: boolean; reason?: string; tokens?: number }[] = [];
  let total = 0;
  for (const r of results) {
    if (!r.ok) {
      parts.push(`${r.path}: not read: ${r.reason}\n`);
      files.push({ path: r.path, ok: false, reason: r.reason });
      continue;
    }
    const block = fileBlock(r.path, r.text);
    const tokens = countTokens(block);
    if (total + tokens > settings.readTokens) {
      const reason =
        tokens > settings.readTokens
          ? `too long to read whole (${plural(tokens, 'token')}, more than ` +
            `${plural(settings.readTokens, 'token')}): search it for the lines you need`
          : `this call already returned ${plural(total, 'token')}: read it in another call`;
      parts.push(`${r.path}: not read: ${reason}\n`);
      files.push({ path: r.path, ok: false, reason });
      continue;
    }
    total += tokens;
    parts.push(block);
    files.push({ path: r.path, ok: true, tokens });
  }
  const read = files.filter((f) => f.ok);
  const refused = files.length - read.length;
  const names = read.length <= 3 ? read.map((f) => f.path).join(', ') : plural(read.length, 'file');
  const summary =
    (read.length ? `read ${names} (${plural(total, 'token')})` : 'read nothing') +
    (refused ? `; ${plural(refused, 'path')} refused` : '');
  return { ok: refused === 0, content: parts.join(''), summary, detail: { kind: 'read', files } };
}

/** Runs `search` for `pattern` under `path`. */
export async function searchTool(
  pattern: string,
  path: string | undefined,
  workspace: WorkspacePort,
  settings: ToolSettings,
  signal?: AbortSignal,
): Promise<ToolOutcome> {
  const r = await workspace.search({ pattern, ...(path ? { path } : {}), maxMatches: settings.searchMatches }, signal);
  const shown = `/${pattern}/${path ? ` in ${path}` : ''}`;
  if (!r.ok)
    return {
      ok: false,
      content: `search ${shown}: ${r.reason}`,
      summary: `search ${shown}: ${r.reason}`,
      detail: { kind: 'search', pattern, matches: 0, more: 0, files: 0 },
    };
  const lines = r.matches.map((m) => `${m.path}:${m.line}: ${m.text}`);
  const found = r.matches.length + r.more;
  if (!found) lines.push(`No match in ${plural(r.filesSearched, 'file')}.`);
  if (r.more)
    lines.push(`(${plural(r.more, 'more match', 'more matches')} not shown: narrow the pattern or the path.)`);
  return {
    ok: true,
    content: lines.join('\n') + '\n',
    summary: `${plural(found, 'match', 'matches')} for ${shown} in ${plural(r.filesSearched, 'file')}`,
    detail: { kind: 'search', pattern, matches: r.matches.length, more: r.more, files: r.filesSearched },
  };
}
