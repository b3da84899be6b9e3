// The one module that reads configuration. Typed getters and a change event; the API key lives in
// SecretStorage only. Settings that decide where data goes (the base URL) are read from the user's
// own settings, never from a workspace, so a cloned repository cannot redirect the upload.
import * as vscode from 'vscode';
import type { ModelRole, TaskKind } from './chat/tasks';
import type { ReasoningEffort, RequestParams } from './llm/types';
import { repositoryBudget } from './chat/requestPlan';
import { DEFAULT_CONTEXT_SETTINGS, type ContextSettings } from './context/types';

export const SECTION = 'deepseekRepo';
export const SECRET_KEY = 'deepseekRepo.apiKey';

export interface Settings {
  baseUrl: string;
  model: string;
  fastModel: string;
  thinking: boolean;
  reasoningEffort: ReasoningEffort;
  maxOutputTokens: number;
  contextBudgetTokens: number | null;
  /** The model's context window (tokens); null: what the endpoint reports for the model, else DeepSeek V4's. */
  contextWindowTokens: number | null;
  /** Ask before a question expected to cost more than this (USD); 0 never asks. */
  confirmCostAboveUsd: number;
  /** Per editor command: `pro` (model) or `flash` (fastModel); missing kinds use the defaults of src/chat/tasks.ts. */
  commandModels: Partial<Record<TaskKind, ModelRole>>;
  /** Longest silence (no data event; keep-alives do not count) once an answer streams (seconds). */
  idleTimeoutSeconds: number;
  /** The raw price override (validated and merged by `mergePrices` in src/llm/cost.ts). */
  prices: unknown;
}

function userValue<T>(c: vscode.WorkspaceConfiguration, key: string, fallback: T): T {
  const i = c.inspect<T>(key);
  return i?.globalValue ?? i?.defaultValue ?? fallback;
}

export function readSettings(): Settings {
  const c = vscode.workspace.getConfiguration(SECTION);
  return {
    baseUrl: userValue(c, 'baseUrl', 'https://api.deepseek.com'),
    model: c.get('model', 'deepseek-v4-pro'),
    fastModel: c.get('fastModel', 'deepseek-flash'),
    thinking: c.get('thinking', true),
    reasoningEffort: c.get<ReasoningEffort>('reasoningEffort', 'high'),
    maxOutputTokens: c.get('maxOutputTokens', 32768),
    contextBudgetTokens: c.get<number | null>('contextBudgetTokens', null),
    contextWindowTokens: c.get<number | null>('contextWindowTokens', null),
    // Cost settings, like the base URL, come from the user's own settings: a repository cannot lower them.
    confirmCostAboveUsd: userValue(c, 'confirmCostAboveUsd', 0.5),
    prices: userValue<unknown>(c, 'prices', null),
    idleTimeoutSeconds: c.get('idleTimeoutSeconds', 120),
    commandModels: c.get<Partial<Record<TaskKind, ModelRole>>>('commandModels', {}),
  };
}

/** The agent's limits; writing without review is read from the user's own settings only. */
export function readAgentSettings(): { maxSteps: number; commandTimeoutMs: number; applyWithoutReview: boolean } {
  const c = vscode.workspace.getConfiguration(`${SECTION}.agent`);
  return {
    maxSteps: c.get('maxSteps', 25),
    commandTimeoutMs: c.get('commandTimeoutSeconds', 120) * 1000,
    // Like the cost threshold: a repository's settings cannot switch the review off.
    applyWithoutReview: userValue(c, 'applyEditsWithoutReview', false),
  };
}

export function requestParams(s: Settings): RequestParams {
  return { model: s.model, maxTokens: s.maxOutputTokens, thinking: s.thinking, reasoningEffort: s.reasoningEffort };
}

/**
 * The repository budget a new conversation's question packs under (tokens), in the model's window when known
 * (ChatRuntime.modelWindow), else the set one.
 */
export function questionBudget(s: Settings = readSettings(), window?: number): number {
  return repositoryBudget(s.maxOutputTokens, s.contextBudgetTokens, window ?? s.contextWindowTokens ?? undefined);
}

/** What goes into the repository block: include/exclude patterns (.gitignore syntax) and the size limit. */
export function readContextSettings(): ContextSettings {
  const c = vscode.workspace.getConfiguration(`${SECTION}.context`);
  const list = (key: string) =>
    (c.get<unknown[]>(key, []) ?? []).filter((p): p is string => typeof p === 'string' && p.trim() !== '');
  return {
    include: list('include'),
    exclude: list('exclude'),
    maxFileBytes: c.get('maxFileBytes', DEFAULT_CONTEXT_SETTINGS.maxFileBytes),
  };
}

/** Replaces the include or exclude pattern list in the workspace's settings. */
export async function writeContextPatterns(key: 'include' | 'exclude', patterns: string[]): Promise<void> {
  await vscode.workspace
    .getConfiguration(`${SECTION}.context`)
    .update(key, patterns, vscode.ConfigurationTarget.Workspace);
}

/**
 * `deepseekRepo.mcpServer.enabled`: the extension offers VS Code's MCP clients its server (trusted workspaces
 * only).
 */
export function mcpServerEnabled(): boolean {
  return vscode.workspace.getConfiguration(SECTION).get('mcpServer.enabled', true);
}

export const onDidChangeSettings = (listener: () => void): vscode.Disposable =>
  vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration(SECTION) && listener());

export class ApiKeyStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}
  get(): Thenable<string | undefined> {
    return this.secrets.get(SECRET_KEY);
  }
  async set(key: string): Promise<void> {
    await this.secrets.store(SECRET_KEY, key.trim());
  }
  /** Asks the user for a key; stores and returns it, or undefined if dismissed. */
  async prompt(): Promise<string | undefined> {
    const key = await vscode.window.showInputBox({
      title: 'DeepSeek API Key',
      prompt: 'Stored in VS Code SecretStorage on this machine only. Get one at platform.deepseek.com/api_keys.',
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim().length < 8 ? 'That does not look like an API key.' : undefined),
    });
    if (!key) return undefined;
    await this.set(key);
    return key.trim();
  }
  readonly onDidChange = (l: () => void) => this.secrets.onDidChange((e) => e.key === SECRET_KEY && l());
}
