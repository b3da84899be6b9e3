// The model ids an endpoint offers (`GET /models`), for the model picker. DeepSeek renames models
// often, so the choice is filled from the server when it is reachable; the caller caches the list
// and falls back to its settings (deepseek-v4-pro by default, the flash model one click away).
// Many other servers also report each model's context window there; a conversation on such a model
// packs under that window instead of DeepSeek V4's (src/chat/requestPlan.ts `fitWindow`).
import { nullLogger, redactingLogger } from '../shared/log';
import { reportedVision } from './capabilities';
import { checkOptions, sdkClient } from './client';
import { parseBaseUrl } from './endpoint';
import { errorFromSdk, isDeepSeekHost } from './errors';
import { refuseNonEventStream } from './nonStream';
import type { ClientOptions, ListedModels, ModelList } from './types';
import { plausibleWindow } from './window';

/** Longest wait for the model list (ms): it is small and optional. */
export const MODELS_TIMEOUT_MS = 20_000;

/**
 * Fields in which servers report a model's context window: OpenRouter and Together `context_length`, vLLM
 * `max_model_len`, Groq `context_window`, Mistral and LM Studio `max_context_length`.
 */
const WINDOW_FIELDS = ['context_length', 'max_model_len', 'context_window', 'max_context_length'] as const;

/** The context window a `/models` entry reports (tokens), if any. */
export function windowOfEntry(model: unknown): number | undefined {
  const m = model as Record<string, unknown> | null;
  return WINDOW_FIELDS.map((field) => plausibleWindow(m?.[field])).find((n) => n !== undefined);
}

/** Lists the endpoint's model ids (server order, no duplicates); never throws for API or network errors. */
export async function listModels(options: ClientOptions, signal?: AbortSignal): Promise<ModelList> {
  const checked = checkOptions(options);
  if ('error' in checked) return { ok: false, error: checked.error };
  const { endpoint } = checked;
  const log = redactingLogger(options.logger ?? nullLogger, () => [options.apiKey]);
  const client = sdkClient(endpoint, options, MODELS_TIMEOUT_MS);
  try {
    const response = await client.models.list(signal ? { signal } : undefined).asResponse();
    const type = response.headers.get('content-type') ?? '';
    const body: unknown = /json/i.test(type) ? await response.json().catch(() => undefined) : undefined;
    const data = (body as { data?: unknown } | undefined)?.data;
    if (!Array.isArray(data)) {
      const error =
        body === undefined
          ? await refuseNonEventStream(response, endpoint.host, 'a model list')
          : {
              kind: 'not_event_stream' as const,
              message: `${endpoint.host} answered /models without a model list. Check the base URL.`,
            };
      return { ok: false, error };
    }
    const ids: string[] = [];
    const windows = new Map<string, number>();
    const vision = new Map<string, boolean>();
    for (const model of data) {
      const id = (model as { id?: unknown } | null)?.id;
      if (typeof id !== 'string' || !id || ids.includes(id)) continue;
      ids.push(id);
      const window = windowOfEntry(model);
      if (window !== undefined) windows.set(id, window);
      const sees = reportedVision(model);
      if (sees !== undefined) vision.set(id, sees);
    }
    log.info(`GET ${endpoint.host}/models → ${ids.length} models, ${windows.size} with a context window`);
    return { ok: true, models: ids, windows, ...(vision.size ? { vision } : {}) };
  } catch (e) {
    if (signal?.aborted) return { ok: false, error: { kind: 'network', message: 'Listing the models was cancelled.' } };
    const { error } = errorFromSdk(e, endpoint.host);
    log.warn(
      `GET ${endpoint.host}/models failed: ${error.status ?? ''} ${error.kind} request-id=${error.requestId ?? '-'}`,
    );
    if (error.status === 404)
      return {
        ok: false,
        error: {
          ...error,
          message:
            `${endpoint.host} has no model list (404 on /models). Check the base URL, or type the model id in ` +
            `the settings.`,
        },
      };
    if (error.status !== undefined) return { ok: false, error };
    return { ok: false, error: { ...error, message: `Could not list the models: ${error.message}` } };
  }
}

/** An endpoint's listing when it has none (no key, untrusted, or the list failed). */
export const NO_MODELS: ListedModels = { models: [], windows: new Map() };

/**
 * False for DeepSeek's own API (its list reports no windows, and V4's is known) and for an invalid base URL: no list is
 * worth waiting for.
 */
export function mayReportWindows(baseUrl: string): boolean {
  const endpoint = parseBaseUrl(baseUrl);
  return !('error' in endpoint) && !isDeepSeekHost(endpoint.host);
}

/** Ollama's port: an endpoint there (or on this machine) may be Ollama, whose model list reports no windows. */
const OLLAMA_PORT = '11434';
/** Longest wait for Ollama's list of loaded models (ms): it answers at once or is not Ollama. */
const RUNNING_TIMEOUT_MS = 3_000;

/**
 * The window Ollama runs `model` with, when the endpoint looks like Ollama (on this machine, or on
 * its port) and the model is loaded: `context_length` of the model in `GET /api/ps` at the server's
 * root (its `num_ctx`, which its `/v1/models` does not report). Undefined otherwise, never throws.
 */
export async function runningWindow(
  options: Pick<ClientOptions, 'baseUrl' | 'fetch'> & { apiKey?: string },
  model: string,
): Promise<number | undefined> {
  const endpoint = parseBaseUrl(options.baseUrl);
  if ('error' in endpoint) return undefined;
  const url = new URL(endpoint.url);
  if (!endpoint.local && url.port !== OLLAMA_PORT) return undefined;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  try {
    // The key, when one is set, goes where the chat requests go anyway (a proxy in front of Ollama may want it).
    const headers: Record<string, string> = options.apiKey?.trim()
      ? { authorization: `Bearer ${options.apiKey.trim()}` }
      : {};
    const response = await fetchImpl(`${url.origin}/api/ps`, {
      headers,
      signal: AbortSignal.timeout(RUNNING_TIMEOUT_MS),
    });
    if (!response.ok) return undefined;
    const running = ((await response.json()) as { models?: unknown } | null)?.models;
    if (!Array.isArray(running)) return undefined;
    const list: unknown[] = running;
    const names = new Set([model, model.includes(':') ? model : `${model}:latest`]);
    const entry = list.find(
      (m) =>
        names.has((m as { name?: unknown })?.name as string) || names.has((m as { model?: unknown })?.model as string),
    );
    return plausibleWindow((entry as { context_length?: unknown } | undefined)?.context_length);
  } catch {
    return undefined; // not Ollama, or not answering: the window stays unknown
  }
}

/**
 * The window another endpoint than DeepSeek's own reports for `model`: its model list (`listed`,
 * fetched only for such an endpoint), else the window Ollama runs the loaded model with; undefined
 * for DeepSeek's API or when neither says.
 */
export async function reportedWindow(
  options: Parameters<typeof runningWindow>[0],
  model: string,
  listed: () => Promise<ListedModels>,
): Promise<number | undefined> {
  if (!mayReportWindows(options.baseUrl)) return undefined;
  return (await listed()).windows.get(model) ?? (await runningWindow(options, model));
}
