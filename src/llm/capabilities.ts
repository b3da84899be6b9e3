// Which models read images, and what an image costs in tokens before the server says. DeepSeek's
// own models are known from data (capabilities.json: DeepSeek renames models and changes what they
// accept, so this lives in data, never in code paths); another endpoint's models from what its
// `GET /models` reports (OpenRouter's `architecture.input_modalities`, a `capabilities` list with
// `vision`); anything else is unknown: the question is sent and a refusal is recognised
// (refusals.ts `imagesRefusal`).
import capabilities from './capabilities.json';

/** Whether a model reads images: known to, known not to, or nobody said. */
export type Vision = 'yes' | 'no' | 'unknown';

/** Input tokens an image is estimated at before the billed usage says (tokens). */
export const IMAGE_TOKENS_ESTIMATE: number = capabilities.imageTokensEstimate;

const KNOWN: Record<string, boolean> = capabilities.vision;

/**
 * Whether `model` reads images: what the endpoint reported for it (`reported`, from its model list)
 * first, else the data file's entry for DeepSeek's ids, else unknown.
 */
export function visionOf(model: string, reported?: boolean): Vision {
  if (reported !== undefined) return reported ? 'yes' : 'no';
  const known = KNOWN[model];
  return known === undefined ? 'unknown' : known ? 'yes' : 'no';
}

/**
 * What one `GET /models` entry says about images: true or false when it lists its input kinds
 * (OpenRouter's `architecture.input_modalities`, a top-level `input_modalities`, a `capabilities`
 * list that may name `vision`), undefined when it says nothing.
 */
export function reportedVision(entry: unknown): boolean | undefined {
  const e = entry as Record<string, unknown> | null;
  if (typeof e !== 'object' || e === null) return undefined;
  const arch = e.architecture as Record<string, unknown> | undefined;
  const modalities = (arch && typeof arch === 'object' ? arch.input_modalities : undefined) ?? e.input_modalities;
  if (Array.isArray(modalities)) return modalities.some((m) => m === 'image');
  if (Array.isArray(e.capabilities) && e.capabilities.every((c) => typeof c === 'string'))
    return e.capabilities.includes('vision');
  return undefined;
}
