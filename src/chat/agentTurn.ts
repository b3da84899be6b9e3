// An agent turn inside a conversation: the loop (agent/loop.ts) driven by the turn's own request
// machinery (turnRun.ts). Each step plans the turn's next request (requestPlan.ts `step`: the
// previous request's input plus its output and the tool results, nothing rewritten), streams it into
// the history and lets the cache plan learn from it; the calls, their results and each request's
// cost are history events, so a reload replays the steps and `continue` resumes where it stopped.
import { runAgentLoop, type AgentEnd } from './agent/loop';
import { DEFAULT_TOOL_SETTINGS } from './agent/ports';
import { runTool } from './agent/tools';
import { costBreakdown, DEFAULT_PRICES } from '../llm/cost';
import type { ChatResult, ToolCall } from '../llm/types';
import { turnsOf, type RequestRecord } from './conversation';
import type { AgentOptions, SessionListener, TurnEnd } from './sessionTypes';
import { requestRecord, turnSoFar } from './turnEnd';
import type { TurnHost } from './turnHost';

export const DEFAULT_MAX_STEPS = 25;

/** The first request's calls, when the turn's question was just answered with some. */
export interface FirstCalls {
  calls: ToolCall[];
  result: ChatResult;
  /** When that request was sent (ms since the epoch): its prices. */
  at: number;
}

/**
 * Runs the rest of agent turn `turn`: records `first` (the question's calls), runs calls left
 * without a result, then the loop; `requestStep` sends the turn's next request (TurnRun.sendStep).
 */
export function actOnTurn(
  host: TurnHost,
  emit: SessionListener,
  run: { turn: number; agent: AgentOptions; first?: FirstCalls; requestStep: (at: number) => Promise<ChatResult> },
  signal: AbortSignal,
): Promise<AgentEnd> {
  const { turn, agent } = run;
  const offered = (host.state().params.tools ?? []).map((t) => t.function.name);
  const settings = { ...DEFAULT_TOOL_SETTINGS, ...agent.settings };
  const ctx = { workspace: agent.workspace, frontEnd: agent.frontEnd, policy: agent.policy, settings, offered };
  const turnOf = () => turnsOf(host.state())[turn]!;
  const recordCalls = (calls: ToolCall[], result: ChatResult, at: number) => {
    const request = result.usage ? requestRecord(host, result.usage, at) : undefined;
    host.write({
      type: 'tool_calls',
      at: host.clock(),
      turn,
      calls,
      ...(request ? { request } : {}),
      ...(result.model ? { model: result.model } : {}),
    });
    if (!result.usage) return;
    const params = host.state().params;
    const cost = costBreakdown(result.usage, params.model, new Date(at), host.ports.prices ?? DEFAULT_PRICES);
    const t = turnOf();
    emit({
      type: 'usage',
      usage: result.usage,
      ...(cost ? { cost } : {}),
      ...(result.model ? { model: result.model } : {}),
      ...(t.costUsd !== undefined ? { turnCostUsd: t.costUsd } : {}),
      ...turnSoFar(t), // the chip and the status bar show the whole turn's steps so far
    });
  };
  if (run.first) recordCalls(run.first.calls, run.first.result, run.first.at);
  // Calls of the last step left without a result (the turn stopped between them) run first.
  const last = turnOf().steps?.at(-1);
  const pending = last ? last.calls.filter((c) => !last.results.some((r) => r.id === c.id)) : [];
  const made = turnOf().steps?.length ?? 0; // requests of this turn that ended with calls
  let step = made;
  let stepAt = host.clock();
  return runAgentLoop(
    {
      requestStep: async () => {
        stepAt = host.clock();
        host.write({ type: 'step', at: stepAt, turn });
        emit({ type: 'step', turn, step: ++step });
        return run.requestStep(stepAt);
      },
      recordCalls: (calls, result) => recordCalls(calls, result, stepAt),
      recordResult: (call, o) =>
        host.write({
          type: 'tool_result',
          at: host.clock(),
          turn,
          id: call.id,
          name: call.function.name,
          ok: o.ok,
          content: o.content,
          summary: o.summary,
          detail: o.detail,
          ...(o.snapshots ? { snapshots: o.snapshots } : {}),
        }),
      spentUsd: () => turnOf().costUsd ?? 0,
    },
    (call, s) => runTool(call, ctx, s),
    {
      maxSteps: Math.max(0, (agent.maxSteps ?? DEFAULT_MAX_STEPS) - made),
      ...(host.ports.confirmAboveUsd !== undefined ? { confirmAboveUsd: host.ports.confirmAboveUsd } : {}),
      ...(agent.confirmSpend ? { confirmSpend: agent.confirmSpend } : {}),
      ...(pending.length ? { pending } : {}),
      onToolCall: (c) =>
        emit({ type: 'tool_call', turn, id: c.id, name: c.function.name, arguments: c.function.arguments }),
      onToolResult: (c, o) =>
        emit({
          type: 'tool_result',
          turn,
          id: c.id,
          name: c.function.name,
          arguments: c.function.arguments,
          ok: o.ok,
          summary: o.summary,
          detail: o.detail,
        }),
    },
    signal,
  );
}

/**
 * Ends an agent turn the loop stopped before an answer (Stop, step limit, spend declined): its end in the history,
 * then `end`.
 */
export function endStoppedTurn(
  host: TurnHost,
  emit: SessionListener,
  stop: { turn: number; reason: 'stopped' | 'step-limit' | 'cost-declined'; warmup: RequestRecord | undefined },
): TurnEnd {
  const { turn } = stop;
  const stopped = stop.reason === 'stopped' ? 'user' : stop.reason === 'step-limit' ? 'step-limit' : 'cost';
  const outcome = stopped === 'step-limit' ? 'interrupted' : 'cancelled';
  host.write({
    type: 'end',
    at: host.clock(),
    turn,
    outcome,
    stopped,
    ...(stop.warmup ? { warmup: stop.warmup } : {}),
  });
  const state = host.state();
  const t = turnsOf(state)[turn];
  const end: TurnEnd = {
    turn,
    outcome,
    stopped,
    ...(t?.steps?.length ? { steps: t.steps.length } : {}),
    ...(t?.costUsd !== undefined ? { turnCostUsd: t.costUsd } : {}),
    conversationCostUsd: state.spentUsd,
  };
  emit({ type: 'end', ...end });
  return end;
}
