// The NDJSON events of `deepseek-repo ask --json`, one JSON object a line, defined once as runtime
// schemas: the CLI's printer is typed by them, the CLI tests validate every line they read against
// them, and a test checks the README's event list against them. Outside tools parse these events:
// keep every name and field; add new ones freely (a new variant, or an optional field).
//
// The first line also carries `v`, the format version (packReport.ts JSON_FORMAT_VERSION).
// Order of one run: `context` (before anything is sent) → `warmup`? → `retry`* → (`window` →
// `context`)? → `reasoning`* / `content`* → `usage`? → `cost`? → `end` (always last). Without a key
// nothing is sent and the only event is `dryRun`. An `--agent` turn repeats `reasoning`* / `content`*
// → `usage` → (`tool_call` → `tool_result`)+ per tool step before its answer's.
import { arrayOf, bool, num, obj, oneOf, opt, str, union, type Infer } from './schema';
import { OUTCOMES } from './messages';
import { packFileReport } from './packReport';

const count = num({ int: true, min: 0 });
const usd = num({ min: 0 });
const ms = num({ min: 0 });
const text = str();
const name = str(200);

/** An API error as the CLI reports it: exactly `{kind, status?, message}` (`kind`: `auth`, `rate_limit`, …). */
/** Images in a request and their estimated tokens. */
const imagesInfo = obj({ count, tokens: count });

export const cliError = obj({ kind: name, status: opt(count), message: str(100_000) });

export const cliEventVariants = {
  /** What is about to be sent (tokens, USD), printed before anything leaves the machine. */
  context: {
    /** Files in the repository block (whole or outlined), and the counts behind them. */
    files: count,
    outlined: count,
    excluded: count,
    redactions: count,
    /** Estimated tokens of the repository block. */
    repositoryTokens: count,
    /**
     * Files that changed since the reused prefix was read, appended now (their tokens); `joined`: files appended
     * whole for this question because the prefix had them only outlined or left out, with the reasons of their rank.
     */
    update: opt(
      obj({
        changed: arrayOf(text),
        added: arrayOf(text),
        removed: arrayOf(text),
        tokens: count,
        joined: opt(
          arrayOf(obj({ path: text, was: oneOf(['outlined', 'left out'] as const), reasons: arrayOf(text) })),
        ),
      }),
    ),
    /** Why a fresh pack replaced the reusable prefix (`no-base`, `focus`, `over-budget`, …). */
    rebased: opt(name),
    /** A cache warm-up request goes first (its cost is in `estimatedCostUsd`). */
    warmup: bool,
    /** The model's window when it is not DeepSeek V4's: reported by the endpoint, or `--window` (tokens). */
    windowTokens: opt(count),
    /** The images the request carries (`--image`, and earlier turns'), each estimated at ~384 tokens. */
    images: opt(imagesInfo),
    promptTokens: count,
    predictedHitTokens: count,
    /** Input (warm-up included) plus the expected output; absent for a model without a known price (USD). */
    estimatedCostUsd: opt(usd),
    /** The input alone, warm-up included, from the cache prediction (USD). */
    estimatedInputUsd: opt(usd),
    /** The input plus an answer of max_tokens: the most the turn can cost (USD). */
    estimatedMaxUsd: opt(usd),
  },
  /** A cache warm-up request was sent (tokens, USD). */
  warmup: { promptTokens: count, cacheHitTokens: count, costUsd: opt(usd) },
  /** A failed request is tried again after `delayMs` milliseconds; `attempt` counts from 1. */
  retry: { attempt: count, delayMs: ms, error: cliError },
  /** The server refused the question as too long for a window it stated (tokens): it is packed for that
   *  window and asked again (a second `context` event follows). */
  window: { windowTokens: count, previousTokens: count, message: str(10_000) },
  /** Thinking, as it streams (new text only). */
  reasoning: { text },
  /** The answer, as it streams (new text only). */
  content: { text },
  /** Billed usage of the answer (tokens). */
  usage: { promptTokens: count, cacheHitTokens: count, cacheMissTokens: count, completionTokens: count },
  /** USD from billed usage: the answer, the turn (answer + warm-up), the whole conversation; the price table's date. */
  cost: { answerUsd: usd, turnUsd: opt(usd), conversationUsd: usd, peak: bool, asOf: name },
  /** `--agent`: a tool call starts; `arguments` is the JSON text the model sent (it may be invalid). */
  tool_call: { id: name, name: str(64), arguments: str(10_000_000) },
  /**
   * `--agent`: what the call gave, in one line; `ok`: it did what it asked (every file read, edits applied, exit 0).
   */
  tool_result: { id: name, name: str(64), ok: bool, summary: str(10_000) },
  /**
   * Always last. `warning`: the server billed under half the prompt tokens sent (it read only part of it).
   * `steps`: tool steps an `--agent` turn ran; `stopped`: why it ended before an answer (`step-limit`, `user`, `cost`).
   * `conversation`: the file the conversation is kept in (`--conversation`, or where an `--agent --apply` turn was
   * kept for `undo`).
   */
  end: {
    outcome: oneOf(OUTCOMES),
    finishReason: opt(name),
    error: opt(cliError),
    warning: opt(str(10_000)),
    steps: opt(count),
    stopped: opt(oneOf(['user', 'step-limit', 'cost'] as const)),
    conversation: opt(str(100_000)),
  },
  /** Without a key: what would be sent (tokens, USD), and nothing is. `files` as in `pack --json`. */
  dryRun: {
    model: name,
    tokens: count,
    promptTokens: count,
    predictedHitTokens: count,
    estimatedCostUsd: opt(usd),
    files: arrayOf(packFileReport),
    /** The images that would go with the question (their estimated tokens are in `promptTokens`). */
    images: opt(imagesInfo),
  },
};

const eventOf = union(cliEventVariants);
export type CliEvent = NonNullable<Infer<typeof eventOf>>;

/**
 * Checks one parsed NDJSON line; returns a clean copy, or undefined when it is no `ask --json` event.
 * The first line of a run, whatever its event, also carries `v`, the format version (JSON_FORMAT_VERSION).
 */
export function parseCliEvent(raw: unknown): (CliEvent & { v?: number }) | undefined {
  const event = eventOf(raw);
  const v = (raw as { v?: unknown } | undefined)?.v;
  if (event === undefined || v === undefined) return event;
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 ? { ...event, v } : undefined;
}
export type CliEventType = CliEvent['type'];
