// The JSON report of `deepseek-repo pack --json` (also what the MCP tool `list_context` returns), and
// the format version the CLI's JSON output carries, defined once as a runtime schema: the CLI builds the
// report typed by it, the tests validate every report they read against it, and a test checks README.md's
// description against it. Outside tools parse it: keep every name and field; add new ones freely.
import { arrayOf, num, obj, oneOf, opt, str, type Infer } from './schema';

/**
 * The format version of the CLI's JSON output: `pack --json`'s `v`, and `v` on the first line of
 * `ask --json`. Raised only when a name or field is removed or changes meaning; a new event or field
 * keeps it.
 */
export const JSON_FORMAT_VERSION = 1;

const count = num({ int: true, min: 0 });
const name = str(200);
const filePath = str(4096);

/**
 * One file as a pack reports it (tokens): `reason` when it is not whole, `detail` for some reasons (the
 * pattern), `reasons` for its rank.
 */
export const packFileReport = obj({
  path: filePath,
  tokens: count,
  status: oneOf(['included', 'outline', 'excluded'] as const),
  reason: opt(name),
  detail: opt(str(10_000)),
  /** When the repository did not fit: the main reasons for the file's place, strongest first. */
  reasons: opt(arrayOf(str(1_000))),
  /** When the repository did not fit: the file's place in the ranking (1 = the best). */
  rank: opt(num({ int: true, min: 1 })),
  /** When the repository did not fit: why the budget made it whole, an outline or left it out, in a phrase. */
  placement: opt(str(1_000)),
});

export const packReportFields = {
  /** The format version (JSON_FORMAT_VERSION). */
  v: num({ int: true, min: 1 }),
  /** Tokens of the repository text. */
  tokens: count,
  /** The pack's identity: equal for equal texts. */
  hash: name,
  roots: arrayOf(obj({ name: filePath, path: filePath })),
  files: arrayOf(packFileReport),
  /** Secrets replaced in what is sent (1-based line, rule); never the secret itself. */
  redactions: arrayOf(obj({ path: filePath, line: count, rule: name })),
  warnings: arrayOf(str(100_000)),
};

/** Checks a parsed `pack --json` report; returns a clean copy, or undefined when it is none. */
export const parsePackReport = obj(packReportFields);
export type PackReport = NonNullable<Infer<typeof parsePackReport>>;
