// DeepSeek V4's history rules as its API enforces them (../shared/deepseek-api.md, "Thinking mode"
// and "Tool calls"), with its exact 400 messages, so a client that breaks one fails against the fake
// server the way it would against DeepSeek (several popular agents shipped such bugs):
// - an assistant message whose `content` is null: "content or tool_calls must be set";
// - in thinking mode, an assistant message with tool calls sent back without its `reasoning_content`;
// - in thinking mode, `tool_choice` other than `auto` / `none`;
// - an assistant message with tool calls not followed by one tool message per call, and a tool
//   message that answers no call.
import type { ChatBody } from './server';

const invalid = (message: string) => ({
  error: { message, type: 'invalid_request_error', param: null, code: 'invalid_request_error' },
});

export const MESSAGES = {
  contentNull: 'content or tool_calls must be set',
  reasoning: 'The reasoning_content in the thinking mode must be passed back to the API.',
  toolChoice: 'Thinking mode does not support this tool_choice',
  missingTool:
    "An assistant message with 'tool_calls' must be followed by tool messages responding to each " +
    "'tool_call_id'. (insufficient tool messages following tool_calls message)",
  strayTool: "Messages with role 'tool' must be a response to a preceding message with 'tool_calls'",
  toolName: 'Invalid tools: function names must match ^[a-zA-Z0-9_-]{1,64}$',
};

/** The 400 body DeepSeek would answer `body` with, or undefined when the request is valid by these rules. */
export function ruleViolation(body: ChatBody): ReturnType<typeof invalid> | undefined {
  const thinking = body.thinking?.type !== 'disabled';
  const choice = body.tool_choice;
  if (thinking && choice !== undefined && choice !== 'auto' && choice !== 'none') return invalid(MESSAGES.toolChoice);
  for (const t of body.tools ?? []) {
    const name = (t as { function?: { name?: unknown } } | null)?.function?.name;
    if (typeof name !== 'string' || !/^[a-zA-Z0-9_-]{1,64}$/.test(name)) return invalid(MESSAGES.toolName);
  }
  const messages = body.messages;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    if (m.role === 'tool') return invalid(MESSAGES.strayTool); // answered calls are skipped below
    if (m.role !== 'assistant') continue;
    if (m.content === null || m.content === undefined) return invalid(MESSAGES.contentNull);
    const calls = m.tool_calls ?? [];
    if (!calls.length) continue;
    if (thinking && typeof m.reasoning_content !== 'string') return invalid(MESSAGES.reasoning);
    const answered = new Set<string>();
    let j = i + 1;
    for (; j < messages.length && messages[j]!.role === 'tool'; j++) answered.add(messages[j]!.tool_call_id ?? '');
    if (calls.some((c) => !answered.has(c.id))) return invalid(MESSAGES.missingTool);
    if (answered.size > calls.length || [...answered].some((id) => !calls.some((c) => c.id === id)))
      return invalid(MESSAGES.strayTool);
    i = j - 1;
  }
  return undefined;
}
