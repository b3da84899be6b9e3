// Builds the chat engine for the window: the session ports from the user's settings (endpoint, key,
// prices, budget, cost threshold, deadlines), one cache plan and one history store per workspace,
// and the `SessionBackend` each view gets. Settings are read when a conversation starts or opens.
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CachePlan } from '../chat/cachePlan';
import { contextSourceOf } from '../chat/contextSource';
import { costRange, missesWhy } from '../chat/estimateWords';
import { HistoryStore } from '../chat/history';
import { FilePlanStore } from '../chat/planStore';
import { ChatService } from '../chat/service';
import type { AgentOptions } from '../chat/sessionTypes';
import type { ChatSession } from '../chat/session';
import type { SessionPorts } from '../chat/sessionTypes';
import type { ImagesChoice, ImagesOffer } from '../chat/questionImages';
import { streamChat } from '../llm/client';
import { needsApiKey } from '../llm/endpoint';
import { listModels, mayReportWindows, NO_MODELS, reportedWindow } from '../llm/models';
import { DEFAULT_PRICES, formatUsd, mergePrices, type CostEstimate } from '../llm/cost';
import type { ListedModels } from '../llm/types';
import type { Logger } from '../shared/log';
import { onDidChangeSettings, readSettings, requestParams, type ApiKeyStore } from '../config';
import type { ContextService } from './contextService';
import { editorFocus } from './editorFocus';
import { SessionBackend, type AgentView } from './sessionBackend';
import { FileDraftImages } from '../chat/draftImages';
import { workspaceRoots } from './workspaceGate';

const MODEL_LIST_TTL_MS = 10 * 60_000;

export interface ChatRuntimeDeps {
  keys: ApiKeyStore;
  log: Logger;
  /** Extension storage: history is per workspace (`storageUri`), the cache plan per machine (`globalStorageUri`). */
  storageUri: vscode.Uri | undefined;
  globalStorageUri: vscode.Uri;
  /** The extension's one warm context engine. */
  context: ContextService;
  /** The agent's options for a turn when the composer is in act mode (agentMode.ts). */
  agent?: (view?: AgentView) => AgentOptions | undefined;
}

/**
 * Asks before sending a question expected to cost more than the user's threshold; says what will miss the cache and
 * why.
 */
async function confirmCost(e: CostEstimate): Promise<boolean> {
  const choice = await vscode.window.showWarningMessage(
    `This question is estimated to cost ${costRange(e) ?? formatUsd(e.expectedUsd ?? 0)} on ${e.model}.`,
    {
      modal: true,
      detail:
        `${missesWhy(e)} The output is at most max_tokens (${e.maxOutputTokens.toLocaleString('en-US')}) ` +
        `and known only once answered. Prices as of ${e.asOf}${e.peak ? ' (peak hours)' : ''}. ` +
        'Change the threshold with the setting deepseekRepo.confirmCostAboveUsd.',
    },
    'Send',
  );
  return choice === 'Send';
}

/** Asks what to do with a question's images when the conversation's model cannot read them. */
async function chooseForImages(offer: ImagesOffer): Promise<ImagesChoice> {
  const switchTo = offer.visionModel ? `Ask with ${offer.visionModel}` : undefined;
  const drop = offer.canDrop ? 'Send without the images' : undefined;
  const choice = await vscode.window.showWarningMessage(
    offer.message,
    { modal: true, detail: 'Nothing has been sent yet.' },
    ...[switchTo, drop].filter((a): a is string => !!a),
  );
  return choice === undefined ? undefined : choice === switchTo ? 'switch' : 'drop';
}

export class ChatRuntime {
  private readonly plan: CachePlan;
  private readonly sessions = new Map<string, ChatSession>();
  private service: { key: string; value: ChatService } | undefined;
  private modelList: { key: string; at: number; list: Promise<ListedModels> } | undefined;
  /**
   * Windows too-long errors stated, by endpoint, window setting and model (`statedKey`): kept until the window reloads.
   */
  private readonly statedWindows = new Map<string, number>();

  constructor(private readonly deps: ChatRuntimeDeps) {
    this.plan = new CachePlan(new FilePlanStore(path.join(deps.globalStorageUri.fsPath, 'cache-plan')), Date.now);
  }

  /**
   * Forgets the endpoint's model list when a setting changes: a base URL set again may name another server (a local one
   * restarted on the same port with another model), so the next question lists it afresh.
   */
  register(): vscode.Disposable {
    return onDidChangeSettings(() => (this.modelList = undefined));
  }

  private ports(): SessionPorts {
    const s = readSettings();
    const prices = mergePrices(DEFAULT_PRICES, s.prices);
    if (prices.errors.length)
      this.deps.log.warn(`deepseekRepo.prices: ${prices.errors.join('; ')} (those parts are ignored)`);
    return {
      // Read per request: a conversation that is open when the endpoint, key or timeout changes uses the new one.
      client: async () => {
        const now = readSettings();
        return {
          baseUrl: now.baseUrl,
          apiKey: (await this.deps.keys.get()) ?? '',
          logger: this.deps.log,
          timeouts: { idleMs: now.idleTimeoutSeconds * 1000 },
        };
      },
      streamChat,
      context: contextSourceOf(this.deps.context, this.deps.context.roots()),
      plan: this.plan,
      log: this.deps.log,
      prices: prices.table,
      contextBudgetTokens: s.contextBudgetTokens,
      modelWindow: (model) => this.modelWindow(model),
      windowStated: (model, window) => this.statedWindows.set(this.statedKey(model), window),
      confirmAboveUsd: s.confirmCostAboveUsd,
      visionModel: s.fastModel,
      // What another endpoint than DeepSeek's own says about images (OpenRouter's input modalities, …).
      modelVision: async (model) =>
        vscode.workspace.isTrusted && mayReportWindows(s.baseUrl)
          ? (await this.models()).vision?.get(model)
          : undefined,
    };
  }

  /** The conversations of this workspace (a window without a folder keeps them in global storage). */
  chatService(): ChatService {
    const dir = path.join((this.deps.storageUri ?? this.deps.globalStorageUri).fsPath, 'conversations');
    if (this.service?.key !== dir)
      this.service = {
        key: dir,
        value: new ChatService(
          () => this.ports(),
          new HistoryStore(dir),
          () => requestParams(readSettings()),
        ),
      };
    return this.service.value;
  }

  /**
   * What the endpoint lists (`GET /models`): model ids and the windows it reports, cached per
   * endpoint and key for ten minutes (a failure is not cached); empty when there is no key, the
   * workspace is untrusted (nothing is sent) or the endpoint has no list.
   */
  async models(): Promise<ListedModels> {
    const s = readSettings();
    const apiKey = (await this.deps.keys.get()) ?? '';
    if ((!apiKey && needsApiKey(s.baseUrl)) || !vscode.workspace.isTrusted) return NO_MODELS;
    const key = `${s.baseUrl}\n${createHash('sha256').update(apiKey).digest('hex')}`;
    if (this.modelList?.key !== key || Date.now() - this.modelList.at > MODEL_LIST_TTL_MS) {
      const list = listModels({ baseUrl: s.baseUrl, apiKey, logger: this.deps.log }).then((r) => {
        if (r.ok) return r;
        // Not kept: a server that was down (a local one not started yet) is asked again next time.
        if (this.modelList?.list === list) this.modelList = undefined;
        return NO_MODELS;
      });
      this.modelList = { key, at: Date.now(), list };
    }
    return this.modelList.list;
  }

  /** Where a stated window is kept: a changed endpoint or window setting starts afresh. */
  private statedKey(model: string): string {
    const s = readSettings();
    return JSON.stringify([s.baseUrl, s.contextWindowTokens, model]);
  }

  /**
   * The context window of `model` (tokens): what the server last stated in a too-long error (it
   * refused a larger request, whatever the setting says), else the user's setting, else what
   * another endpoint than DeepSeek's own reports (its model list, or Ollama's loaded model);
   * undefined: DeepSeek V4's. Nothing is asked in Restricted Mode.
   */
  async modelWindow(model: string): Promise<number | undefined> {
    const stated = this.statedWindows.get(this.statedKey(model));
    if (stated !== undefined) return stated;
    const s = readSettings();
    if (s.contextWindowTokens !== null) return s.contextWindowTokens;
    if (!vscode.workspace.isTrusted) return undefined;
    return reportedWindow({ baseUrl: s.baseUrl, apiKey: (await this.deps.keys.get()) ?? '' }, model, () =>
      this.models(),
    );
  }

  /**
   * A backend for one view; sessions are shared between views by conversation id. With `draft`, the images waiting
   * in its composer are kept in the workspace's storage (`draft-images/<draft>.json`) and come back after a reload.
   */
  newBackend(options: { draft?: string } = {}): SessionBackend {
    const storage = (this.deps.storageUri ?? this.deps.globalStorageUri).fsPath;
    return new SessionBackend({
      service: () => this.chatService(),
      focus: editorFocus,
      roots: workspaceRoots,
      confirm: confirmCost,
      chooseForImages,
      defaults: () => requestParams(readSettings()),
      open: this.sessions,
      ...(this.deps.agent ? { agent: this.deps.agent } : {}),
      ...(options.draft
        ? {
            drafts: new FileDraftImages(path.join(storage, 'draft-images', `${options.draft}.json`), (line) =>
              this.deps.log.warn(line),
            ),
          }
        : {}),
    });
  }
}
