// The three deadlines of a streaming request, and the clock they run on. `: keep-alive` comments
// are not activity: DeepSeek sends them while a request waits in its queue, and has been seen
// sending them forever after a complete answer, so an idle timer reset by any byte could wait
// forever. Only `data:` events move the deadlines.
import type { Clock, Timeouts } from './types';

/**
 * Defaults for 1M-token prompts. First data: DeepSeek drops a request whose inference has not
 * started after 10 min in its queue, and a cache-missing prefill of ~1M tokens takes minutes more,
 * so 15 min. Idle: once tokens flow they come many per second; 2 min of silence is a stall (and
 * stays below undici's 5-min body timeout, so our message wins). Overall: first data plus
 * `max_tokens` at a slow 10 tokens/s (32,768 tokens: about 70 min).
 */
export const DEFAULT_FIRST_DATA_MS = 15 * 60_000;
export const DEFAULT_IDLE_MS = 2 * 60_000;
const SLOWEST_TOKENS_PER_SECOND = 10;
/** Node's timers overflow past this (ms) and would fire at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Fills in the default deadlines (ms, clamped to what timers can hold); the overall cap follows `maxTokens` (tokens)
 * unless given.
 */
export function resolveTimeouts(given: Partial<Timeouts> | undefined, maxTokens: number): Timeouts {
  const firstDataMs = given?.firstDataMs ?? DEFAULT_FIRST_DATA_MS;
  const idleMs = given?.idleMs ?? DEFAULT_IDLE_MS;
  const overallMs = given?.overallMs ?? firstDataMs + Math.ceil((maxTokens / SLOWEST_TOKENS_PER_SECOND) * 1000);
  const clamp = (ms: number) => Math.min(Math.max(1, ms), MAX_TIMER_MS);
  return { firstDataMs: clamp(firstDataMs), idleMs: clamp(idleMs), overallMs: clamp(overallMs) };
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export type Deadline = 'firstData' | 'idle' | 'overall';

/** Runs the overall timer and one "next data" timer; calls `onFire` once with the deadline that passed first. */
export class Watchdog {
  fired: Deadline | undefined;
  private overall: unknown;
  private step: unknown;

  constructor(
    private readonly clock: Clock,
    private readonly timeouts: Timeouts,
    private readonly onFire: (deadline: Deadline) => void,
  ) {
    this.overall = clock.setTimeout(() => this.fire('overall'), timeouts.overallMs);
  }

  /** A request was sent: its first `data:` event is due within `firstDataMs`. */
  awaitFirstData(): void {
    this.arm('firstData', this.timeouts.firstDataMs);
  }

  /** A `data:` event arrived: the next one is due within `idleMs`. */
  data(): void {
    this.arm('idle', this.timeouts.idleMs);
  }

  /** No request in flight (waiting to retry): only the overall cap runs. */
  pause(): void {
    if (this.step !== undefined) this.clock.clearTimeout(this.step);
    this.step = undefined;
  }

  stop(): void {
    this.pause();
    this.clock.clearTimeout(this.overall);
  }

  private arm(deadline: Deadline, ms: number): void {
    this.pause();
    this.step = this.clock.setTimeout(() => this.fire(deadline), ms);
  }

  private fire(deadline: Deadline): void {
    if (this.fired) return;
    this.fired = deadline;
    this.stop();
    this.onFire(deadline);
  }
}

/** Waits `ms` on `clock`; resolves false at once if `signal` aborts first. */
export function sleep(ms: number, clock: Clock, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const onAbort = () => {
      clock.clearTimeout(handle);
      resolve(false);
    };
    const handle = clock.setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
