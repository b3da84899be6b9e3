// What the CLI's requests take from the environment beyond the key and base URL, read here at the
// edge so the core never reads process.env: DEEPSEEK_IDLE_TIMEOUT_MS, the longest silence (no
// `data:` event; keep-alives do not count) tolerated once an answer is streaming. Also the exact
// shape of the `end` event's error in `ask --json`.
import type { LlmError, Timeouts } from '../llm/types';
import { UsageError } from './common';

/** The deadlines set by the environment: `idleMs` from DEEPSEEK_IDLE_TIMEOUT_MS (ms); a bad value is a UsageError. */
export function timeoutsFromEnv(env: NodeJS.ProcessEnv): Partial<Timeouts> {
  const raw = env.DEEPSEEK_IDLE_TIMEOUT_MS?.trim();
  if (!raw) return {};
  const ms = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(ms) || ms <= 0) {
    throw new UsageError(`DEEPSEEK_IDLE_TIMEOUT_MS must be a positive whole number of milliseconds, got "${raw}"`);
  }
  return { idleMs: ms };
}

/** The `end` event's `error`: exactly `{kind, status?, message}` (the `ask --json` contract). */
export function endError(e: LlmError): { kind: LlmError['kind']; status?: number; message: string } {
  return { kind: e.kind, ...(e.status !== undefined ? { status: e.status } : {}), message: e.message };
}
