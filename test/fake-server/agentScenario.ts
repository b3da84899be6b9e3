// Scripted agent turns for the fake DeepSeek server: each request of a turn is answered by the step
// of a script, counted from the request itself (the assistant messages with tool calls after the
// last user message), so the same script drives unit tests, the CLI tests, the benchmark and the
// end-to-end tests in a real VS Code (which cannot pass functions to a server in another process).
// Calls stream in DeepSeek's indexed form, after the reasoning, and end with finish_reason tool_calls.
import type { ChatBody, Reply, Scenario, Step } from './server';

export interface ScriptedCall {
  name: string;
  args: unknown;
}

/** One request's answer: thinking, text, and the calls (none: the final answer). */
export interface ScriptedStep {
  reasoning?: string;
  content?: string;
  calls?: ScriptedCall[];
  /** The finish reason (default: `tool_calls` with calls, else `stop`). */
  finish?: string;
}

/** The step a request is at: how many tool-call messages follow the last user message. */
export function agentStep(body: ChatBody): number {
  const lastUser = body.messages.map((m) => m.role).lastIndexOf('user');
  return body.messages.slice(lastUser + 1).filter((m) => m.role === 'assistant' && m.tool_calls?.length).length;
}

/** A scenario answering step n of each turn with `script(body, n)`. */
export function agentScenario(script: (body: ChatBody, step: number) => ScriptedStep): Scenario {
  return (body) => {
    const n = agentStep(body);
    const s = script(body, n);
    const thinking = body.thinking?.type !== 'disabled';
    const steps: Step[] = [];
    if (thinking) steps.push({ kind: 'reasoning', text: s.reasoning ?? `Step ${n + 1}: deciding what to do next.` });
    if (s.content) steps.push({ kind: 'content', text: s.content });
    (s.calls ?? []).forEach((c, i) =>
      steps.push({ kind: 'toolCall', id: `call_${n}_${i}`, name: c.name, arguments: JSON.stringify(c.args) }),
    );
    steps.push(
      { kind: 'finish', reason: s.finish ?? (s.calls?.length ? 'tool_calls' : 'stop') },
      { kind: 'usage' },
      { kind: 'done' },
    );
    return { steps } satisfies Reply;
  };
}

/** The first `count` files of the repository block (path and first line), in pack order. */
export function packedFiles(body: ChatBody, count: number): { path: string; firstLine: string }[] {
  const repo = body.messages.find((m) => m.role === 'user' && m.content?.startsWith('<repository'))?.content ?? '';
  const out: { path: string; firstLine: string }[] = [];
  const re = /<file path="([^"]+)">\n([^\n]*)\n/g;
  for (let m = re.exec(repo); m && out.length < count; m = re.exec(repo))
    if (m[2]!.trim()) out.push({ path: m[1]!, firstLine: m[2]! });
  return out;
}

/**
 * The task the `agent` scenario plays on any workspace: read the first packed file, edit the first
 * line of the first two, run a command, check the problems, answer.
 */
export const agentTask: Scenario = agentScenario((body, step) => {
  const [a, b] = packedFiles(body, 2);
  const edit = (f: { path: string; firstLine: string } | undefined) =>
    f ? [{ path: f.path, search: f.firstLine, replace: `${f.firstLine} // edited by the agent` }] : [];
  switch (step) {
    case 0:
      return {
        content: 'Let me read the file first.',
        calls: [{ name: 'read_files', args: { paths: a ? [a.path] : [] } }],
      };
    case 1:
      return { calls: [{ name: 'edit_files', args: { edits: [...edit(a), ...edit(b)] } }] };
    case 2:
      return { calls: [{ name: 'run_command', args: { command: 'node --version' } }] };
    case 3:
      return { calls: [{ name: 'get_problems', args: a ? { paths: [a.path] } : {} }] };
    default: {
      const results = body.messages.filter((m) => m.role === 'tool').map((m) => (m.content ?? '').split('\n')[0]);
      return { content: `Done. What the tools said:\n${results.map((r) => `- ${r}`).join('\n')}\n` };
    }
  }
});
