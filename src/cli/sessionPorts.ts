// The ChatSession ports of the command-line front ends, in one place so that `ask` and the MCP server's
// `ask_repository` send the same requests: endpoint and key from the environment, the cache plan's
// state in the cache directory, the model's window (--window, else what the endpoint reports), and the
// default request parameters.
import * as path from 'node:path';
import { CachePlan } from '../chat/cachePlan';
import type { ContextSource } from '../chat/contextSource';
import { FilePlanStore, OverlayPlanStore } from '../chat/planStore';
import type { ImageStore } from '../chat/imageStore';
import type { SessionPorts } from '../chat/sessionTypes';
import { streamChat } from '../llm/client';
import { needsApiKey, parseBaseUrl } from '../llm/endpoint';
import { listModels, mayReportWindows, NO_MODELS, reportedWindow } from '../llm/models';
import type { ListedModels, RequestParams, Timeouts } from '../llm/types';
import { CommandError, DEFAULT_MAX_OUTPUT, cliCacheDir } from './common';

/** The endpoint as the environment gives it. */
export interface Endpoint {
  apiKey: string;
  baseUrl: string;
  /** False without a key for a remote endpoint: nothing may be sent (a server on this machine needs no key). */
  sends: boolean;
}

/**
 * DEEPSEEK_API_KEY and DEEPSEEK_BASE_URL (default https://api.deepseek.com); a base URL requests cannot use is a
 * CommandError, before anything is packed or sent.
 */
export function endpointFromEnv(env: NodeJS.ProcessEnv): Endpoint {
  const apiKey = env.DEEPSEEK_API_KEY?.trim() ?? '';
  const baseUrl = env.DEEPSEEK_BASE_URL || 'https://api.deepseek.com';
  const parsed = parseBaseUrl(baseUrl);
  if ('error' in parsed) throw new CommandError(parsed.error.message);
  return { apiKey, baseUrl, sends: !!apiKey || !needsApiKey(baseUrl) };
}

export interface CliSessionOptions {
  source: ContextSource;
  endpoint: Endpoint;
  timeouts: Partial<Timeouts>;
  /** Tokens the repository may use (`--budget`); default: the window's room. */
  budget: number | undefined;
  /** The model's context window (`--window`); default: what the endpoint reports, else DeepSeek V4's. */
  window: number | undefined;
  /** Called when the endpoint reports a window for the model (tokens). */
  onReportedWindow?: (model: string, tokens: number) => void;
  /** The cache directory (default: the CLI's). */
  cacheDir?: string;
  /** Where the questions' images are kept (default: in memory, for this run). */
  images?: ImageStore;
}

/** The vision model the CLI switches a new conversation with images to when no --model is given. */
export const CLI_VISION_MODEL = 'deepseek-flash';

/** The ports a CLI ChatSession runs on. Without `endpoint.sends` the cache plan is read but never written. */
export function cliSessionPorts(o: CliSessionOptions): SessionPorts {
  const { apiKey, baseUrl, sends } = o.endpoint;
  const store = new FilePlanStore(path.join(o.cacheDir ?? cliCacheDir(), 'cache-plan'));
  // Another endpoint's model list, asked once a run (windows and which models read images).
  let listed: Promise<ListedModels> | undefined;
  const list = () => (listed ??= listModels({ baseUrl, apiKey }).then((l) => (l.ok ? l : NO_MODELS)));
  return {
    ...(o.images ? { images: o.images } : {}),
    visionModel: CLI_VISION_MODEL,
    // What another endpoint than DeepSeek's own says about images (OpenRouter's input modalities, …).
    modelVision: async (model) => (sends && mayReportWindows(baseUrl) ? (await list()).vision?.get(model) : undefined),
    client: () => ({ baseUrl, apiKey, timeouts: o.timeouts }),
    streamChat,
    context: o.source,
    plan: new CachePlan(sends ? store : new OverlayPlanStore(store), Date.now),
    contextBudgetTokens: o.budget ?? null,
    // --window, else what another endpoint than DeepSeek's own reports for the model (its list, or Ollama's
    // loaded model).
    modelWindow: async (model) => {
      if (o.window !== undefined || !sends) return o.window;
      const reported = await reportedWindow({ baseUrl, apiKey }, model, list);
      if (reported !== undefined) o.onReportedWindow?.(model, reported);
      return reported;
    },
  };
}

/** A new conversation's request parameters: `model` (default deepseek-v4-pro), thinking on, high effort. */
export function cliRequestParams(model: string | undefined): RequestParams {
  return { model: model ?? 'deepseek-v4-pro', maxTokens: DEFAULT_MAX_OUTPUT, thinking: true, reasoningEffort: 'high' };
}
