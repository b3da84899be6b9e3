// The model ids an endpoint offers (`GET /models`), for the model picker. DeepSeek renames models
// often, so the choice is filled from the server when it is reachable; the caller caches the list
// and falls back to its settings (deepseek-v4-pro by default, the flash model one click away).
import OpenAI from 'openai';
import { nullLogger, redactingLogger } from '../shared/log';
import { checkOptions, requestIdOf, sdkClient } from './client';
import { errorForNetwork, errorForStatus, serverMessage } from './errors';
import { refuseNonEventStream } from './nonStream';
import type { ClientOptions, ModelList } from './types';

/** Longest wait for the model list (ms): it is small and optional. */
export const MODELS_TIMEOUT_MS = 20_000;

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
      const error = body === undefined ? await refuseNonEventStream(response, endpoint.host, 'a model list') : { kind: 'not_event_stream' as const, message: `${endpoint.host} answered /models without a model list. Check the base URL.` };
      return { ok: false, error };
    }
    const ids: string[] = [];
    for (const model of data) {
      const id = (model as { id?: unknown } | null)?.id;
      if (typeof id === 'string' && id && !ids.includes(id)) ids.push(id);
    }
    log.info(`GET ${endpoint.host}/models → ${ids.length} models`);
    return { ok: true, models: ids };
  } catch (e) {
    if (signal?.aborted) return { ok: false, error: { kind: 'network', message: 'Listing the models was cancelled.' } };
    if (e instanceof OpenAI.APIError && e.status !== undefined) {
      const requestId = requestIdOf(e.headers);
      const error = { ...errorForStatus(e.status, serverMessage(e.error), endpoint.host), ...(requestId ? { requestId } : {}) };
      if (e.status === 404) error.message = `${endpoint.host} has no model list (404 on /models). Check the base URL, or type the model id in the settings.`;
      log.warn(`GET ${endpoint.host}/models → ${e.status} request-id=${requestId ?? '-'}`);
      return { ok: false, error };
    }
    const { error } = errorForNetwork(e instanceof OpenAI.APIConnectionError ? (e.cause ?? e) : e, endpoint.host);
    log.warn(`GET ${endpoint.host}/models failed: ${error.message}`);
    return { ok: false, error: { ...error, message: `Could not list the models: ${error.message}` } };
  }
}
