// The images of a question, between the front end and the request: checked (a whole image, by its
// bytes) and held to the limits (src/protocol/images.ts) before anything is planned, then matched
// against what the conversation's model can read: DeepSeek's pro model reads no images, so such a
// question is stopped before sending and the user is offered the vision model (the conversation goes
// on with it: a different model is a different cache namespace, so its first request reads the
// repository from that model's cache, at full price if it was not asked there recently) or to send
// the question without its images.
import { visionOf, type Vision } from '../llm/capabilities';
import { formatBytes, imageLimitProblem, type ImageRef } from '../protocol/images';
import { ImageError, imageRefFor, type NewImage } from './imageStore';

/** A question's new images, checked: their references and the bytes to store when the question is sent. */
export interface CheckedImages {
  refs: ImageRef[];
  /** Bytes by sha256, until stored. */
  pending: Map<string, Uint8Array>;
}

/**
 * Checks a question's new images (each a whole PNG, JPEG, GIF or WebP; the limits of a question and,
 * with `earlier` images, of the conversation); throws ImageError with one line otherwise.
 */
export function checkNewImages(images: readonly NewImage[], earlier: readonly ImageRef[]): CheckedImages {
  const refs = images.map(imageRefFor);
  const problem = imageLimitProblem(
    refs,
    earlier.reduce((n, r) => n + r.bytes, 0),
  );
  if (problem) throw new ImageError(problem);
  const pending = new Map(refs.map((r, i) => [r.sha256, images[i]!.bytes] as const));
  return { refs, pending };
}

/** What the user is offered when the model cannot read a question's images. */
export interface ImagesOffer {
  /** The conversation's model. */
  model: string;
  /** A model that reads images (`deepseekRepo.fastModel` by default), when there is one to offer. */
  visionModel?: string;
  /** The images may be left out (only the new question has any: earlier turns' images must go with them). */
  canDrop: boolean;
  /** The server refused them (the model's ability was unknown); else it is known before sending. */
  refused: boolean;
  /** Images the question carries, and their bytes. */
  count: number;
  bytes: number;
  /** The explanation to show, cache consequences included. */
  message: string;
}

/** The user's answer: ask with the vision model, send without the images, or (undefined) send nothing. */
export type ImagesChoice = 'switch' | 'drop' | undefined;

/** The offer's explanation: what cannot be done, and what each way out means for the conversation and its cache. */
export function offerMessage(o: Omit<ImagesOffer, 'message'>, newConversation: boolean): string {
  const images = `${o.count} image${o.count === 1 ? '' : 's'} (${formatBytes(o.bytes)})`;
  const why = o.refused
    ? `The server refused the ${images} of this question: ${o.model} cannot read images.`
    : `${o.model} cannot read images, and this question carries ${images}.`;
  const switchText = o.visionModel
    ? newConversation
      ? ` Ask it with ${o.visionModel}, which reads them: the conversation runs on ${o.visionModel}.`
      : ` Ask it with ${o.visionModel}, which reads them: the conversation goes on with ${o.visionModel} from ` +
        `this question on. Each model has its own cache, so the next request reads the repository again (at ` +
        `${o.visionModel}'s price for tokens not in its cache); follow-ups hit the cache again.`
    : '';
  const drop = o.canDrop ? ' Or send the question without the images.' : '';
  return `${why}${switchText}${drop}`;
}

/** The refusal when nobody can be asked (the CLI): one line, nothing sent. */
export function unsupportedMessage(model: string, visionModel: string | undefined): string {
  return `${model} cannot read images: nothing was sent. Ask with a model that reads them${
    visionModel ? ` ` + `(${visionModel}; CLI: --model ${visionModel})` : ''
  }, or without the images.`;
}

/** Models the server refused images for in this process (endpoint|model): asked before sending from then on. */
const refused = new Set<string>();

/** Remembers that `endpoint` refused images for `model`. */
export const rememberRefusal = (endpoint: string, model: string): void => void refused.add(`${endpoint}|${model}`);

/**
 * Whether `model` at `endpoint` reads images: a refusal seen in this process, else what the endpoint reported, else the
 * data file.
 */
export function visionAt(endpoint: string, model: string, reported: boolean | undefined): Vision {
  return refused.has(`${endpoint}|${model}`) ? 'no' : visionOf(model, reported);
}
