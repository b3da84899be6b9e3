// Progress of a long tool call, as MCP's `notifications/progress` (sent only when the client asked for
// it with a progress token): each message is one more step, so clients that restart their timeout on
// progress wait as long as the call is alive.
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';

/** What the SDK hands a tool handler besides its arguments (the cancellation signal, the progress token). */
export type ToolExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** A function that reports `message` as the call's next step (nothing when no progress was asked for). */
export function progressOf(extra: ToolExtra): (message: string) => Promise<void> {
  const token = extra._meta?.progressToken;
  let step = 0;
  return async (message) => {
    if (token === undefined || extra.signal.aborted) return;
    step += 1;
    try {
      await extra.sendNotification({
        method: 'notifications/progress',
        params: { progressToken: token, progress: step, message },
      });
    } catch {
      // the client went away: the call ends through its signal
    }
  };
}
