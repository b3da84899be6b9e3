// Runs one tool call the model made: checks its arguments (toolArgs.ts), then the tool, through the
// ports and under the approval policy it is given. Never throws: a malformed call, a refused path or
// a port that failed becomes a result the model reads (and can act on), so the loop goes on.
import { redactSecrets } from '../../context/secrets';
import type { ToolCall } from '../../llm/types';
import { runCommandTool } from './commandTool';
import { editFilesTool } from './editTool';
import type { ApprovalPolicy, FrontEndPort, ToolSettings, WorkspacePort } from './ports';
import { problemsTool } from './problemsTool';
import { readFilesTool, searchTool } from './readSearchTools';
import { parseToolCall } from './toolArgs';
import type { ToolOutcome } from './toolResult';

export interface ToolContext {
  workspace: WorkspacePort;
  frontEnd: FrontEndPort;
  policy: ApprovalPolicy;
  settings: ToolSettings;
  /** The tool names this conversation offers (its `tools`). */
  offered: readonly string[];
}

/** Runs `call`; resolves with what the model is told (never rejects). */
export async function runTool(call: ToolCall, ctx: ToolContext, signal?: AbortSignal): Promise<ToolOutcome> {
  const parsed = parseToolCall(call, ctx.offered);
  if (!parsed.ok) return { ok: false, content: parsed.message, summary: parsed.message, detail: { kind: 'invalid' } };
  const c = parsed.call;
  try {
    switch (c.name) {
      case 'read_files':
        return await readFilesTool(c.paths, ctx.workspace, ctx.settings, signal);
      case 'search':
        return await searchTool(c.pattern, c.path, ctx.workspace, ctx.settings, signal);
      case 'edit_files':
        return await editFilesTool(call.id, c.edits, ctx, signal);
      case 'run_command':
        return await runCommandTool(c.command, ctx, ctx.settings, signal);
      case 'get_problems':
        return await problemsTool(c.paths, ctx.frontEnd);
    }
  } catch (e) {
    if (signal?.aborted) {
      const content = `${c.name} was stopped by the user before it finished.`;
      return { ok: false, content, summary: content, detail: { kind: 'invalid' } };
    }
    const content = `${c.name} failed: ${redactSecrets(String((e as Error).message)).text}`;
    return { ok: false, content, summary: content, detail: { kind: 'invalid' } };
  }
}
