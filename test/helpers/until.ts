// Waiting in a test for something another process or the event loop does: poll until it happened.
// The limit only ends a wait that would never succeed (a hang): it sits far above what the event takes
// on a 2-core machine busy with other jobs, so no test passes or fails by the machine's speed.

/** Milliseconds after which a wait for one event is a hang. */
export const EVENT_MS = 60_000;

/** Polls `check` every 10 ms until it returns true; fails naming `what` after `timeoutMs`. */
export async function until(what: string, check: () => boolean, timeoutMs = EVENT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
