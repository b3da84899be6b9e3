// The functions the agent offers the model. Their names and required parameters are a
// contract: the CLI's NDJSON, the history file and outside tests rely on them. The definitions are
// part of the cached prefix, so they are constants: byte-identical, in the same order, on every
// request of a conversation (a conversation keeps the list it started with, in its parameters).
import type { JsonSchema, ToolDefinition } from '../../llm/types';

export const TOOL_NAMES = ['read_files', 'search', 'edit_files', 'run_command', 'get_problems'] as const;
export type ToolName = (typeof TOOL_NAMES)[number];

/** Tools that change the workspace or run programs: never offered in Restricted Mode. */
export const WRITING_TOOLS: ReadonlySet<ToolName> = new Set(['edit_files', 'run_command']);

const stringArray = (description: string): JsonSchema => ({ type: 'array', items: { type: 'string' }, description });

const DEFINITIONS: Record<ToolName, ToolDefinition['function']> = {
  read_files: {
    name: 'read_files',
    description:
      'Read the current text of workspace files: files the repository block shows only as outlines or leaves ' +
      'out, or that changed since. Paths are relative to the workspace, as in the repository block. Secret, ' +
      'binary, ignored and outside files are refused.',
    parameters: {
      type: 'object',
      properties: { paths: stringArray('Workspace-relative file paths, e.g. ["src/a.ts"].') },
      required: ['paths'],
      additionalProperties: false,
    },
  },
  search: {
    name: 'search',
    description:
      'Search the workspace files with a regular expression (JavaScript syntax), line by line. Answers ' +
      '`path:line: text` lines, capped, with the count of matches left out.',
    parameters: {
      type: 'object',
      properties: {
        pattern: { type: 'string', description: 'A regular expression, e.g. "export function \\\\w+Handler".' },
        path: { type: 'string', description: 'Only files under this workspace-relative folder or file.' },
      },
      required: ['pattern'],
      additionalProperties: false,
    },
  },
  edit_files: {
    name: 'edit_files',
    description:
      'Change one or more files, as one change set the user reviews. Each edit replaces the lines `search` ' +
      'with `replace`: `search` must match whole lines of the current file exactly (indentation included; ' +
      'trailing white space is ignored) and be unique enough to be found; edits to one file apply in order, ' +
      'top to bottom. An empty `search` on a path that does not exist creates the file with `replace` as its ' +
      'text. The result says what was applied, rejected or not matched.',
    parameters: {
      type: 'object',
      properties: {
        edits: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              path: { type: 'string', description: 'Workspace-relative file path.' },
              search: { type: 'string', description: 'The current lines to replace (empty: create the file).' },
              replace: { type: 'string', description: 'The lines that replace them.' },
            },
            required: ['path', 'search', 'replace'],
            additionalProperties: false,
          },
        },
      },
      required: ['edits'],
      additionalProperties: false,
    },
  },
  run_command: {
    name: 'run_command',
    description:
      'Run a shell command in the workspace root, with the user’s approval (e.g. the tests, a build, a ' +
      'linter). The result gives the exit code and the end of the output.',
    parameters: {
      type: 'object',
      properties: { command: { type: 'string', description: 'The command line, e.g. "npm test".' } },
      required: ['command'],
      additionalProperties: false,
    },
  },
  get_problems: {
    name: 'get_problems',
    description:
      'The editor’s errors and warnings (compiler, linter) for these files, or for the whole workspace: use ' +
      'it to check your edits.',
    parameters: {
      type: 'object',
      properties: { paths: stringArray('Workspace-relative file paths; omit for every file.') },
      additionalProperties: false,
    },
  },
};

/**
 * The tool list of a new conversation, in the contract's order: all five, or in Restricted Mode
 * (`write: false`) only those that neither write nor run.
 */
export function agentTools(options: { write: boolean }): ToolDefinition[] {
  return TOOL_NAMES.filter((n) => options.write || !WRITING_TOOLS.has(n)).map((n) => ({
    type: 'function',
    function: DEFINITIONS[n],
  }));
}

/** True when `name` is one of the tool names. */
export const isToolName = (name: string): name is ToolName => (TOOL_NAMES as readonly string[]).includes(name);
