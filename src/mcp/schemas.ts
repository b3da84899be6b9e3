// The MCP tools' names and arguments (a contract: clients call them by these names), as zod schemas:
// the SDK lists them as JSON Schema and checks every call against them, so a bad argument (a budget
// that is not a positive integer, an unknown field) is answered with a tool error naming it, and the
// server keeps serving.
import { z } from 'zod';
import { MIN_WINDOW_TOKENS } from '../llm/window';

/** The tool names. */
export const TOOL = {
  pack: 'pack_repository',
  list: 'list_context',
  ask: 'ask_repository',
} as const;

/**
 * A value a caller sent, shown in an error on one short line: a scalar as JSON (a long string cut), a list or
 * an object by its kind (never written out: it may be megabytes, or nested too deep to stringify).
 */
export function inputShown(input: unknown): string {
  if (input === undefined) return 'nothing';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object' && input !== null) return 'an object';
  if (typeof input !== 'string' || input.length <= 60) return JSON.stringify(input);
  return `${JSON.stringify(input.slice(0, 40))}… (${input.length} characters)`;
}

/** An integer of at least `min` tokens. The SDK appends where: "expected … got -5 at budget". */
const tokens = (min: number) => {
  const expected = min === 1 ? 'a positive integer (tokens)' : `an integer of at least ${min} (tokens)`;
  const error = (i: { input: unknown }) => `expected ${expected}, got ${inputShown(i.input)}`;
  return z.number({ error }).int({ error }).min(min, { error });
};

const list = (what: string) =>
  z
    .array(z.string({ error: `expected ${what} (strings)` }).max(4096), { error: `expected a list of ${what}` })
    .max(1000);

const unknownKeys = {
  error: (i: { code?: string; keys?: string[] }) =>
    i.code === 'unrecognized_keys' && i.keys
      ? `unknown argument${i.keys.length > 1 ? 's' : ''}: ${i.keys.join(', ')}`
      : undefined,
};

/** `pack_repository` and `list_context`: the arguments of `pack` on the command line. */
export const packArgs = z.strictObject(
  {
    budget: tokens(1)
      .optional()
      .describe(
        'Tokens the repository may use. Default: what a new question gets (the window less output and ' +
          'conversation: 983,040 for DeepSeek V4).',
      ),
    window: tokens(MIN_WINDOW_TOKENS)
      .optional()
      .describe(
        "The model's context window in tokens, when it is not DeepSeek V4's 1,048,576: the pack is fitted to it.",
      ),
    question: z
      .string({ error: 'expected a string' })
      .max(100_000)
      .optional()
      .describe('A question to rank files by when the repository does not fit (files it names, lexical relevance).'),
    include: list('.gitignore-syntax patterns')
      .optional()
      .describe('Paths always sent (.gitignore syntax; beats ignore files and default exclusions, never secrets).'),
    exclude: list('.gitignore-syntax patterns').optional().describe('Paths never sent (.gitignore syntax).'),
    focus: list('paths')
      .optional()
      .describe(
        'Files or folders of the workspace to put first and whole (paths as list_context names them, or absolute).',
      ),
  },
  unknownKeys,
);
export type PackArgs = z.infer<typeof packArgs>;

/** `ask_repository`. */
export const askArgs = z.strictObject(
  {
    question: z
      .string({ error: 'expected a string' })
      .trim()
      .min(1, { error: 'expected a question, got an empty string' })
      .max(1_000_000),
    model: z
      .string({ error: 'expected a model id' })
      .trim()
      .min(1, { error: 'expected a model id, got an empty string' })
      .max(200)
      .optional()
      .describe(
        'Model id for a new conversation (default deepseek-v4-pro; deepseek-flash is cheaper). ' +
          'A conversation keeps its model.',
      ),
    conversation: z
      .string({ error: 'expected a conversation id' })
      .regex(/^[A-Za-z0-9_-]{1,80}$/, { error: 'expected a conversation id returned by ask_repository' })
      .optional()
      .describe(
        'The id a previous ask_repository returned: continues that conversation, so the repository is read ' +
          'from the cache.',
      ),
  },
  unknownKeys,
);
export type AskArgs = z.infer<typeof askArgs>;
