// `ask_repository`: a question about the whole repository, answered by DeepSeek through the same
// ChatSession, ports and defaults as the CLI's `ask` (src/cli/sessionPorts.ts), so the cache plan, the
// history and the cost are the CLI's. Conversations are kept in the cache directory; the id a call
// returns continues its conversation in a later call, whose repository prefix then hits the cache.
import * as path from 'node:path';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { HistoryStore } from '../chat/history';
import { ChatService } from '../chat/service';
import type { ChatSession } from '../chat/session';
import type { SessionListener, TurnEnd } from '../chat/sessionTypes';
import { formatUsd, type CostBreakdown } from '../llm/cost';
import { whatHappened } from '../llm/errors';
import type { Timeouts, Usage } from '../llm/types';
import { endError } from '../cli/clientEnv';
import { cliRequestParams, cliSessionPorts, type Endpoint } from '../cli/sessionPorts';
import { progressOf } from './progress';
import { askArgs, TOOL, type AskArgs } from './schemas';
import { ToolInputError, type McpWorkspace } from './workspace';

const num = (n: number) => n.toLocaleString('en-US');
const pct = (part: number, whole: number) => (whole ? Math.round((100 * part) / whole) : 0);
/** Streaming progress is reported at most this often (milliseconds). */
const STREAM_PROGRESS_MS = 1_000;

export interface AskToolOptions {
  endpoint: Endpoint;
  timeouts: Partial<Timeouts>;
  cacheDir: string;
}

export function registerAskTool(server: McpServer, ws: McpWorkspace, o: AskToolOptions): void {
  const source = ws.source();
  const ports = cliSessionPorts({
    source,
    endpoint: o.endpoint,
    timeouts: o.timeouts,
    budget: undefined,
    window: undefined,
    cacheDir: o.cacheDir,
  });
  const conversations = new ChatService(
    () => ports,
    new HistoryStore(path.join(o.cacheDir, 'mcp-conversations', source.workspaceKey)),
    () => cliRequestParams(undefined),
  );
  /** Conversations this server has open: a follow-up continues the same session object. */
  const open = new Map<string, ChatSession>();
  const sessionFor = (args: AskArgs): ChatSession => {
    if (!args.conversation) {
      const session = conversations.start(args.model ? { model: args.model } : {});
      open.set(session.id, session);
      return session;
    }
    const known = open.get(args.conversation);
    if (known) return known;
    if (!conversations.history.exists(args.conversation))
      throw new ToolInputError(`no conversation ${args.conversation} (ask without "conversation" to start one)`);
    const { session } = conversations.open(args.conversation);
    open.set(session.id, session);
    return session;
  };

  server.registerTool(
    TOOL.ask,
    {
      title: 'Ask DeepSeek about the repository',
      description:
        'Asks DeepSeek a question with the whole repository as context (secrets redacted; laid out so that ' +
        "follow-ups read the repository from DeepSeek's prefix cache at a fraction of the price). Returns the " +
        'answer, its cost and cache hits, and a conversation id: pass it back as "conversation" to follow up.',
      inputSchema: askArgs,
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
    async (args, extra) => {
      if (!o.endpoint.sends)
        throw new ToolInputError(
          "DEEPSEEK_API_KEY is not set in the MCP server's environment: nothing was sent (set it in the client's " +
            'server configuration, or DEEPSEEK_BASE_URL to a server on this machine)',
        );
      const session = sessionFor(args);
      const run = answerCollector(progressOf(extra));
      const end = await session.ask(args.question, { signal: extra.signal }, run.listener);
      return resultOf(session, args, end, run.answer(), run.usage());
    },
  );
}

/** Collects the answer and billed usage of one turn, and reports its stages as progress. */
function answerCollector(progress: (message: string) => Promise<void>) {
  let answer = '';
  let usage: { usage: Usage; cost?: CostBreakdown } | undefined;
  let stage = '';
  let last = Number.NEGATIVE_INFINITY;
  /** A new stage (thinking, answering) is reported at once, the same stage at most every STREAM_PROGRESS_MS. */
  const streaming = (next: string, message: string) => {
    const now = Date.now();
    if (next === stage && now - last < STREAM_PROGRESS_MS) return;
    stage = next;
    last = now;
    void progress(message);
  };
  const listener: SessionListener = (e) => {
    switch (e.type) {
      case 'context':
        return void progress(
          `sending ${num(e.files)} files, ~${num(e.estimate.promptTokens)} tokens ` +
            `(${pct(e.estimate.predictedHitTokens, e.estimate.promptTokens)}% predicted from cache)`,
        );
      case 'warmup':
        return void progress('warmed the cache');
      case 'retry':
        return void progress(`${whatHappened(e.error.message)}: retrying in ${Math.ceil(e.delayMs / 1000)} s`);
      case 'window':
        return void progress(e.message);
      case 'reasoning':
        return streaming('thinking', 'thinking');
      case 'content':
        answer += e.text;
        return streaming('answering', `answering (${num(answer.length)} characters so far)`);
      case 'usage':
        usage = { usage: e.usage, ...(e.cost ? { cost: e.cost } : {}) };
        return;
      default:
    }
  };
  return { listener, answer: () => answer, usage: () => usage };
}

/**
 * The tool's result: the answer, then one line of model, tokens, cache hits and cost; the same as structured
 * content.
 */
function resultOf(
  session: ChatSession,
  args: AskArgs,
  end: TurnEnd,
  answer: string,
  billed: { usage: Usage; cost?: CostBreakdown } | undefined,
): CallToolResult {
  const model = session.params.model;
  const u = billed?.usage;
  const structured = {
    conversation: session.id,
    model,
    outcome: end.outcome,
    ...(end.finishReason ? { finishReason: end.finishReason } : {}),
    ...(end.error ? { error: endError(end.error) } : {}),
    ...(end.warning ? { warning: end.warning } : {}),
    ...(u
      ? {
          usage: {
            promptTokens: u.promptTokens,
            cacheHitTokens: u.cacheHitTokens,
            cacheMissTokens: u.cacheMissTokens,
            completionTokens: u.completionTokens,
          },
        }
      : {}),
    cost: {
      ...(billed?.cost ? { answerUsd: billed.cost.totalUsd } : {}),
      ...(end.turnCostUsd !== undefined ? { turnUsd: end.turnCostUsd } : {}),
      conversationUsd: end.conversationCostUsd,
    },
  };
  const notes = [
    args.model && model !== args.model ? `this conversation keeps ${model}; "model" applies to new conversations` : '',
    end.outcome === 'complete' && end.outputLimitTokens !== undefined
      ? `the answer reached the output limit (max_tokens ${num(end.outputLimitTokens)}) and is cut there: ` +
        'a follow-up in this conversation ("go on") gets the rest'
      : '',
    end.warning ?? '',
  ].filter(Boolean);
  const summary =
    `${model}` +
    (u
      ? ` · ${num(u.promptTokens)} input tokens, ${pct(u.cacheHitTokens, u.promptTokens)}% from cache ` +
        `(${num(u.cacheHitTokens)}) · ${num(u.completionTokens)} output`
      : '') +
    (end.turnCostUsd !== undefined ? ` · ${formatUsd(end.turnCostUsd)}` : '') +
    ` · conversation ${session.id} so far ${formatUsd(end.conversationCostUsd)} ` +
    `(pass "conversation": "${session.id}" to follow up)` +
    notes.map((n) => `\nnote: ${n}`).join('');
  if (end.outcome === 'complete')
    return {
      content: [
        { type: 'text', text: answer },
        { type: 'text', text: summary },
      ],
      structuredContent: structured,
    };
  const why = end.error ? end.error.message : `the answer ended ${end.outcome}`;
  return {
    isError: true,
    content: [
      { type: 'text', text: `${why}${answer ? `\n\nThe answer so far:\n${answer}` : ''}` },
      { type: 'text', text: summary },
    ],
    structuredContent: structured,
  };
}
