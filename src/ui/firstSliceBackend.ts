// The conversation backend over the first-slice flow: pack the workspace, build the messages,
// stream the answer, compute the cost; conversations kept in memory for this window (shared by the
// panel and the sidebar). The chat engine's persistent `ChatSession` replaces it behind the same
// `ConversationBackend` interface.
import * as vscode from 'vscode';
import { buildMessages, type PastTurn } from '../chat/prompt';
import { packWorkspace } from '../context/pack';
import type { WorkspaceRoot } from '../context/types';
import { streamChat } from '../llm/client';
import { costOf } from '../llm/cost';
import type { RequestParams } from '../llm/types';
import type { ConversationListItem, ConversationSnapshot, Effort, TurnRecord } from '../protocol/messages';
import { titleFrom } from '../protocol/transcript';
import { readSettings, repositoryBudget } from '../config';
import { conversationMarkdown, type ConversationBackend, type ConversationOptions, type TurnRequest, type TurnResult } from './conversationBackend';

interface StoredConversation {
  id: string;
  title: string;
  effort: Effort;
  params: RequestParams;
  turns: TurnRecord[];
  updatedAt: number;
  /** Pack hash and prompt tokens of the last request, to predict cache hits of the next one. */
  last?: { packHash: string; promptTokens: number };
}

/** Conversations of this window, shared by every backend instance. */
export type ConversationStore = Map<string, StoredConversation>;
export const newConversationStore = (): ConversationStore => new Map();

export interface FirstSliceDeps {
  apiKey(): Thenable<string | undefined>;
  roots(): WorkspaceRoot[];
  store: ConversationStore;
}

let nextId = 0;

export class FirstSliceBackend implements ConversationBackend {
  private current: StoredConversation | undefined;

  constructor(private readonly deps: FirstSliceDeps) {}

  get currentId(): string | undefined {
    return this.current?.id;
  }

  async ask(question: string, options: ConversationOptions, req: TurnRequest): Promise<TurnResult> {
    const c = (this.current ??= this.create(question, options));
    c.turns.push({ question, answer: '', reasoning: '' });
    return this.run(c, c.turns.length - 1, req, false);
  }

  async regenerate(req: TurnRequest): Promise<TurnResult> {
    const c = this.current;
    const last = c?.turns[c.turns.length - 1];
    if (!c || !last) return { outcome: 'error', message: 'There is no question to regenerate.' };
    c.turns[c.turns.length - 1] = { question: last.question, answer: '', reasoning: '' };
    return this.run(c, c.turns.length - 1, req, false);
  }

  async editAndResend(index: number, question: string, req: TurnRequest): Promise<TurnResult> {
    const c = this.current;
    if (!c || index >= c.turns.length) return { outcome: 'error', message: 'That question is no longer in this conversation.' };
    c.turns.length = index;
    c.turns.push({ question, answer: '', reasoning: '' });
    if (index === 0) c.title = titleFrom(question);
    return this.run(c, index, req, false);
  }

  async continue(req: TurnRequest): Promise<TurnResult> {
    const c = this.current;
    if (!c || !c.turns.length) return { outcome: 'error', message: 'There is no answer to continue.' };
    return this.run(c, c.turns.length - 1, req, true);
  }

  newConversation(): void {
    this.current = undefined;
  }

  async list(): Promise<ConversationListItem[]> {
    return [...this.deps.store.values()].map((c) => {
      const costs = c.turns.map((t) => t.usage?.costUsd).filter((x): x is number => x !== undefined);
      return { id: c.id, title: c.title, updatedAt: c.updatedAt, turns: c.turns.length, ...(costs.length ? { costUsd: costs.reduce((a, b) => a + b, 0) } : {}) };
    });
  }

  async open(id: string): Promise<ConversationSnapshot | undefined> {
    const c = this.deps.store.get(id);
    if (!c) return undefined;
    this.current = c;
    return snapshotOf(c);
  }

  async delete(id: string): Promise<void> {
    this.deps.store.delete(id);
    if (this.current?.id === id) this.current = undefined;
  }

  async exportMarkdown(id: string): Promise<string | undefined> {
    const c = this.deps.store.get(id);
    return c && conversationMarkdown(snapshotOf(c));
  }

  private create(question: string, o: ConversationOptions): StoredConversation {
    const s = readSettings();
    const params: RequestParams = { model: o.model, maxTokens: s.maxOutputTokens, thinking: o.effort !== 'off', reasoningEffort: o.effort === 'off' ? s.reasoningEffort : o.effort };
    const c: StoredConversation = { id: `c${Date.now().toString(36)}${(nextId++).toString(36)}`, title: titleFrom(question), effort: o.effort, params, turns: [], updatedAt: Date.now() };
    this.deps.store.set(c.id, c);
    return c;
  }

  /** Runs the request for turn `index` (history = the turns before it) and records the result. */
  private async run(c: StoredConversation, index: number, req: TurnRequest, continuing: boolean): Promise<TurnResult> {
    const turn = c.turns[index]!;
    delete turn.outcome;
    delete turn.message;
    delete turn.errorKind;
    const apiKey = await this.deps.apiKey();
    if (!apiKey) return this.finish(c, turn, { outcome: 'error', message: 'Set your DeepSeek API key first.', errorKind: 'auth' });
    const settings = readSettings();
    const history: PastTurn[] = c.turns.slice(0, index).map((t) => ({ question: t.question, answer: t.answer }));
    let question = turn.question;
    if (continuing) {
      history.push({ question: turn.question, answer: turn.answer });
      question = 'Continue your previous answer exactly where it stopped. Do not repeat anything.';
    }
    const historyTokens = Math.ceil(history.reduce((n, t) => n + t.question.length + t.answer.length, 0) / 3);
    const pack = await vscode.window.withProgress({ location: { viewId: 'deepseekRepo.chat' }, title: 'Reading the workspace' }, async () =>
      packWorkspace(this.deps.roots(), { budgetTokens: repositoryBudget(settings, historyTokens), question }),
    );
    if (req.signal.aborted) return this.finish(c, turn, { outcome: 'cancelled' });
    const count = (s: string) => pack.files.filter((f) => f.status === s).length;
    const promptEstimate = pack.tokens + historyTokens + Math.ceil(question.length / 3);
    const predicted = c.last?.packHash === pack.manifest.hash ? Math.min(c.last.promptTokens, promptEstimate) : 0;
    const estimate = costOf({ promptTokens: promptEstimate, cacheHitTokens: predicted, cacheMissTokens: promptEstimate - predicted, completionTokens: 0 }, c.params.model, new Date());
    turn.context = { files: count('included'), tokens: pack.tokens, outlined: count('outline'), excluded: count('excluded'), redactions: pack.redactions.length, predictedHitTokens: predicted, ...(estimate !== undefined ? { estimatedCostUsd: estimate } : {}) };
    req.onEvent({ type: 'context', summary: turn.context });
    const result = await streamChat(
      { baseUrl: settings.baseUrl, apiKey },
      buildMessages(pack.text, history, question),
      c.params,
      {
        onReasoning: (text) => {
          turn.reasoning += text;
          req.onEvent({ type: 'reasoning', text });
        },
        onContent: (text) => {
          turn.answer += text;
          req.onEvent({ type: 'content', text });
        },
        onRetry: (r) => req.onEvent({ type: 'retry', attempt: r.attempt, delayMs: r.delayMs, message: r.error.message }),
      },
      req.signal,
    );
    if (result.usage) {
      const cost = costOf(result.usage, result.model ?? c.params.model, new Date());
      turn.usage = { ...result.usage, ...(cost !== undefined ? { costUsd: cost } : {}), ...(result.model ? { model: result.model } : {}) };
      req.onEvent({ type: 'usage', usage: turn.usage });
      c.last = { packHash: pack.manifest.hash, promptTokens: result.usage.promptTokens + result.usage.completionTokens };
    }
    const message = result.error?.message ?? (result.outcome === 'interrupted' ? 'The answer was cut off before it finished.' : undefined);
    return this.finish(c, turn, { outcome: result.outcome, ...(message ? { message } : {}), ...(result.error ? { errorKind: result.error.kind } : {}) });
  }

  private finish(c: StoredConversation, turn: TurnRecord, r: TurnResult): TurnResult {
    turn.outcome = r.outcome;
    if (r.message) turn.message = r.message;
    if (r.errorKind) turn.errorKind = r.errorKind;
    c.updatedAt = Date.now();
    return r;
  }
}

function snapshotOf(c: StoredConversation): ConversationSnapshot {
  return { id: c.id, title: c.title, model: c.params.model, effort: c.effort, turns: c.turns.map((t) => ({ ...t })) };
}
