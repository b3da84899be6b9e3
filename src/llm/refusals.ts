// What a server other than DeepSeek's refuses in a request, read from its 400/415/422 error: the
// optional fields it does not know (the request is sent again without them) and images, when its
// model cannot read them (the chat offers a vision model or the question without them).
import { isDeepSeekHost, serverMessage, serverName } from './errors';
import type { LlmError } from './types';

/** A refused request as the server answered it: its status, its JSON error body, and the host asked. */
export interface RefusedRequest {
  status: number | undefined;
  body: unknown;
  host: string;
}

const REFUSAL =
  /\b(?:unrecogni[sz]ed|unsupported|not supported|unknown|extra (?:inputs?|fields?|arguments?)|not permitted|not allowed|unexpected)\b/i;

/**
 * Request fields other servers may not know: DeepSeek's thinking switch and effort, and OpenAI's `stream_options` (for
 * usage in a stream).
 */
export const OPTIONAL_FIELDS = ['thinking', 'reasoning_effort', 'stream_options'] as const;
export type OptionalField = (typeof OPTIONAL_FIELDS)[number];

/**
 * The optional fields another server than DeepSeek's own refused the request for (OpenAI:
 * "Unrecognized request argument supplied: thinking", Groq: "property 'thinking' is unsupported",
 * Mistral's 422 "Extra inputs are not permitted" at ["body", "thinking"]); empty when the error is
 * not such a refusal. The request is then sent again without them.
 */
export function refusedFields({ status, body, host }: RefusedRequest): OptionalField[] {
  if ((status !== 400 && status !== 422) || isDeepSeekHost(host)) return [];
  const text = (JSON.stringify(body) ?? '').slice(0, 4_000);
  return REFUSAL.test(text) ? OPTIONAL_FIELDS.filter((f) => new RegExp(`\\b${f}\\b`).test(text)) : [];
}

/**
 * What a server says when it cannot take an image: DeepSeek's "unknown variant `image_url`", OpenAI's "image_url is
 * only supported by certain models", vLLM's "not a multimodal model", llama.cpp's "image input is not supported" (no
 * mmproj).
 */
const IMAGES_REFUSED = /image|vision|multi-?modal|mmproj/i;

/**
 * The error for a request with images that the server refused because of them (a 400, 415 or 422
 * whose message is about images), or undefined for any other failure. `model` is named in it; the
 * chat offers a vision model or to leave the images out.
 */
export function imagesRefusal({ status, body, host, model }: RefusedRequest & { model: string }): LlmError | undefined {
  const said = serverMessage(body);
  if ((status !== 400 && status !== 415 && status !== 422) || !said || !IMAGES_REFUSED.test(said)) return undefined;
  return {
    kind: 'images_unsupported',
    status,
    message: `${model} cannot read images: ${serverName(host)} refused them (${status}: ${said.replace(/[.\s]+$/, '')}). Ask this question with a model that reads images, or without the images.`,
  };
}
