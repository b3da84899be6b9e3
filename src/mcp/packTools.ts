// `pack_repository` and `list_context`: the CLI's `pack --out` and `pack --json` for the same arguments,
// from the server's warm engine. The budget default, the pack and its JSON report are the CLI's own
// (src/cli/common.ts), so both front ends answer byte for byte alike.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ContextSettings, Pack, PackRequest } from '../context/types';
import { packBudget, packJson } from '../cli/common';
import { progressOf, type ToolExtra } from './progress';
import { packArgs, TOOL, type PackArgs } from './schemas';
import type { McpWorkspace } from './workspace';

/** What `deepseek-repo pack` packs for `args`: the request and the settings (its include and exclude patterns). */
function packCall(ws: McpWorkspace, args: PackArgs): [PackRequest, Partial<ContextSettings>] {
  const focus = args.focus?.length ? { pinned: ws.resolve(args.focus, 'focus') } : undefined;
  return [
    {
      budgetTokens: packBudget({ budget: args.budget, window: args.window }),
      ...(args.question ? { question: args.question } : {}),
      ...(focus ? { focus } : {}),
    },
    { include: args.include ?? [], exclude: args.exclude ?? [] },
  ];
}

/** Packs as `deepseek-repo pack` does with the same arguments. */
async function packFor(ws: McpWorkspace, args: PackArgs, extra: ToolExtra): Promise<Pack> {
  const progress = progressOf(extra);
  const [request, settings] = packCall(ws, args);
  // One step, before the work: a notification sent just before the result reaches the SDK's client after it.
  await progress(`packing ${ws.roots.map((r) => r.name).join(', ')}`);
  return ws.pack(request, settings, extra.signal);
}

/**
 * Reads the repository ahead of the first call, as pack_repository without arguments packs it: that call is then
 * answered with this pack, and any other finds every file read and counted.
 */
export function readAhead(ws: McpWorkspace, signal: AbortSignal): Promise<Pack> {
  const [request, settings] = packCall(ws, {});
  return ws.pack(request, settings, signal);
}

export function registerPackTools(server: McpServer, ws: McpWorkspace): void {
  server.registerTool(
    TOOL.pack,
    {
      title: 'Pack the repository',
      description:
        'The whole repository as one text, exactly as DeepSeek Repo sends it: every file git would show, ' +
        'secrets redacted, ignore rules applied; when it does not fit the budget, the most relevant files whole ' +
        '(ranked by the question and focus) and outlines of the rest. Byte-identical to `deepseek-repo pack --out`.',
      inputSchema: packArgs,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async (args, extra) => ({ content: [{ type: 'text', text: (await packFor(ws, args, extra)).text }] }),
  );
  server.registerTool(
    TOOL.list,
    {
      title: 'List what the pack holds',
      description:
        'What pack_repository would send, without the text: every file with its tokens, status (included, ' +
        'outline, excluded) and reason, the total tokens and the redactions (path, line, rule; never the secret). ' +
        'The same JSON as `deepseek-repo pack --json`.',
      inputSchema: packArgs,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async (args, extra) => {
      const report = packJson(await packFor(ws, args, extra));
      return { content: [{ type: 'text', text: JSON.stringify(report) }], structuredContent: report };
    },
  );
}
