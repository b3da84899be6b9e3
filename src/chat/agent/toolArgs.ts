// Reads a tool call the model made into typed arguments, or says exactly what is wrong with it.
// Arguments are model output: they may be invalid JSON, miss a field, give a number for a string,
// or name a tool that does not exist. Each problem becomes one clear sentence sent back to the model
// as the call's result (it can fix the call and try again), never an exception.
import type { ToolCall } from '../../llm/types';
import { isToolName, type ToolName } from './toolDefs';

export interface Edit {
  path: string;
  search: string;
  replace: string;
}

export type ParsedCall =
  | { name: 'read_files'; paths: string[] }
  | { name: 'search'; pattern: string; path?: string }
  | { name: 'edit_files'; edits: Edit[] }
  | { name: 'run_command'; command: string }
  | { name: 'get_problems'; paths?: string[] };

export type ParseResult = { ok: true; call: ParsedCall } | { ok: false; message: string };

/** Most paths or edits one call may carry (a larger call is refused, not truncated). */
export const MAX_ITEMS = 200;

type Obj = Record<string, unknown>;

/** The arguments of `call`, checked against the tool's schema; `offered`: the tool names of this conversation. */
export function parseToolCall(call: ToolCall, offered: readonly string[]): ParseResult {
  const name = call.function.name;
  if (!isToolName(name) || !offered.includes(name)) {
    const shown = name.length > 64 ? `${name.slice(0, 64)}…` : name;
    return fail(`There is no tool "${shown}". The tools are: ${offered.join(', ')}.`);
  }
  const json = argumentsOf(call);
  if (!json.ok)
    return fail(`The arguments of ${name} are not valid JSON (${json.error}). Send them again as one JSON object.`);
  const { args } = json;
  if (!args || typeof args !== 'object' || Array.isArray(args))
    return fail(`The arguments of ${name} must be a JSON object, not ${describe(args)}.`);
  return check(name, args as Obj);
}

/** The call's arguments parsed as JSON (none given: `{}`), or why they are not JSON. */
export function argumentsOf(call: ToolCall): { ok: true; args: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, args: JSON.parse(call.function.arguments.trim() || '{}') };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

function check(name: ToolName, a: Obj): ParseResult {
  switch (name) {
    case 'read_files': {
      const paths = stringList(a.paths, `read_files needs "paths": an array of workspace-relative file paths`);
      return typeof paths === 'string' ? fail(paths) : ok({ name, paths });
    }
    case 'search': {
      if (typeof a.pattern !== 'string' || !a.pattern)
        return fail(`search needs "pattern": a non-empty regular expression string${got(a.pattern)}.`);
      if (a.path !== undefined && typeof a.path !== 'string')
        return fail(`search's "path" must be a string (a workspace-relative folder or file)${got(a.path)}.`);
      return ok({ name, pattern: a.pattern, ...(a.path ? { path: a.path } : {}) });
    }
    case 'edit_files': {
      const need = 'edit_files needs "edits": an array of {"path", "search", "replace"} objects (strings)';
      if (!Array.isArray(a.edits) || !a.edits.length) return fail(`${need}${got(a.edits)}.`);
      if (a.edits.length > MAX_ITEMS)
        return fail(`edit_files takes at most ${MAX_ITEMS} edits in one call (got ${a.edits.length}).`);
      const edits: Edit[] = [];
      for (const [i, e] of a.edits.entries()) {
        const o = e && typeof e === 'object' && !Array.isArray(e) ? (e as Obj) : undefined;
        const missing = ['path', 'search', 'replace'].filter((k) => typeof o?.[k] !== 'string');
        if (!o || missing.length)
          return fail(
            `${need}; edit ${i + 1} ${o ? `lacks a string "${missing.join('", "')}"` : `is ${describe(e)}`}.`,
          );
        if (!(o.path as string).trim()) return fail(`edit_files: edit ${i + 1} has an empty "path".`);
        edits.push({ path: o.path as string, search: o.search as string, replace: o.replace as string });
      }
      return ok({ name, edits });
    }
    case 'run_command': {
      if (typeof a.command !== 'string' || !a.command.trim())
        return fail(`run_command needs "command": a non-empty shell command string${got(a.command)}.`);
      return ok({ name, command: a.command });
    }
    case 'get_problems': {
      if (a.paths === undefined) return ok({ name });
      const paths = stringList(
        a.paths,
        `get_problems' "paths" must be an array of workspace-relative file paths`,
        true,
      );
      return typeof paths === 'string' ? fail(paths) : ok({ name, ...(paths.length ? { paths } : {}) });
    }
  }
}

/** The strings of `v`, or the message saying what is wrong. */
function stringList(v: unknown, need: string, emptyOk = false): string[] | string {
  if (!Array.isArray(v) || (!emptyOk && !v.length)) return `${need}${got(v)}.`;
  if (v.length > MAX_ITEMS) return `${need}, at most ${MAX_ITEMS} in one call (got ${v.length}).`;
  const bad = v.findIndex((p) => typeof p !== 'string' || !p.trim());
  if (bad >= 0) return `${need}; item ${bad + 1} is ${describe(v[bad])}.`;
  return v as string[];
}

const ok = (call: ParsedCall): ParseResult => ({ ok: true, call });
const fail = (message: string): ParseResult => ({ ok: false, message });
const got = (v: unknown) => (v === undefined ? ' (it is missing)' : ` (got ${describe(v)})`);

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'string') return v.trim() ? `the string ${JSON.stringify(v.slice(0, 40))}` : 'an empty string';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return `${typeof v} ${v}`;
  return typeof v;
}
