// The images a question carries: how the history refers to one (by the sha256 of its bytes; the
// bytes live in a content-addressed file beside the history, never in the JSONL), and the limits a
// question and a conversation must keep, stated up front in the composer and the CLI's help.
//
// The limits come from DeepSeek's one hard number: a request body of at most 48 MiB, base64
// included. A conversation re-sends every earlier image with its turn on every follow-up (so the
// cached prefix stays byte-identical), so the cap that matters is the images of a whole
// conversation: 30 MiB of image bytes is 40 MiB as base64, leaving 8 MiB for the repository block
// (1M tokens is about 3.5 MiB of text, ~4.5 MiB JSON-escaped), the turns and the JSON around them.
// One question may carry 4 images of at most 5 MiB each (6.7 MiB as base64): a 4K screenshot as PNG
// fits; a larger one is scaled down in the chat before sending (DeepSeek scales large images itself
// and bills ~346 tokens for a 2000×2000 as for a 4000×4000, so scaling costs no understanding that
// the server would have kept); the CLI, which has no canvas, refuses it with one line.
import { extensionOf, FORMAT_NAMES, isImageMime, type ImageMime } from './imageFormat';

const MiB = 1024 * 1024;

/** The limits images must keep (bytes are the image files' own, before base64). */
export const IMAGE_LIMITS = {
  /** Images one question may carry. */
  perQuestion: 4,
  /** Bytes of one image; larger ones are scaled down in the chat, refused by the CLI. */
  bytesPerImage: 5 * MiB,
  /** Bytes of every image of one conversation (all are re-sent with each follow-up). */
  bytesPerConversation: 30 * MiB,
  /** DeepSeek's limit on a whole request body, base64 included. */
  requestBodyBytes: 48 * MiB,
} as const;

/** Bytes for people: "5 MiB", "740 KiB". */
export function formatBytes(n: number): string {
  if (n >= MiB) return `${Number.isInteger(n / MiB) ? n / MiB : (n / MiB).toFixed(2)} MiB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KiB`;
  return `${n} bytes`;
}

/** The limits in one sentence, as the composer and `--help` state them. */
export const LIMITS_TEXT =
  `Up to ${IMAGE_LIMITS.perQuestion} images a question (${FORMAT_NAMES}), ` +
  `${formatBytes(IMAGE_LIMITS.bytesPerImage)} each` +
  ` and ${formatBytes(IMAGE_LIMITS.bytesPerConversation)} in a conversation; SVG is not accepted.`;

/** An image of a question as the history keeps it: its bytes are the file `<sha256>.<ext>` in the image store. */
export interface ImageRef {
  /** sha256 of the bytes (64 hex digits). */
  sha256: string;
  mime: ImageMime;
  /** Size of the file (bytes). */
  bytes: number;
  /** Pixels. */
  width: number;
  height: number;
  /** The name of the file or the kind of paste it came from (shown, never sent). */
  name?: string;
  /** It was scaled down before sending: the original's size (bytes, pixels). */
  scaledFrom?: { bytes: number; width: number; height: number };
}

const SHA256 = /^[0-9a-f]{64}$/;
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;

/** A clean ImageRef from untrusted data (a history line), or undefined when it is not one. */
export function imageRefOf(v: unknown): ImageRef | undefined {
  const r = v as Partial<ImageRef> | null;
  if (typeof r !== 'object' || r === null) return undefined;
  if (typeof r.sha256 !== 'string' || !SHA256.test(r.sha256) || !isImageMime(r.mime)) return undefined;
  if (!isCount(r.bytes) || !isCount(r.width) || !isCount(r.height)) return undefined;
  const from = r.scaledFrom;
  return {
    sha256: r.sha256,
    mime: r.mime,
    bytes: r.bytes,
    width: r.width,
    height: r.height,
    ...(typeof r.name === 'string' && r.name ? { name: r.name.slice(0, 300) } : {}),
    ...(from && isCount(from.bytes) && isCount(from.width) && isCount(from.height)
      ? { scaledFrom: { bytes: from.bytes, width: from.width, height: from.height } }
      : {}),
  };
}

/** The store's file name of an image: `<sha256>.<ext>`. */
export const imageFileName = (ref: Pick<ImageRef, 'sha256' | 'mime'>): string =>
  `${ref.sha256}.${extensionOf(ref.mime)}`;

/** A `data:` URL of base64 bytes. */
export const dataUrl = (mime: ImageMime, base64: string): string => `data:${mime};base64,${base64}`;

/** The MIME type and base64 of a `data:image/…;base64,` URL, or undefined for anything else. */
export function parseDataUrl(url: string): { mime: ImageMime; base64: string } | undefined {
  const m = /^data:(image\/[a-z]+);base64,([A-Za-z0-9+/]*={0,2})$/.exec(url);
  return m && isImageMime(m[1]) ? { mime: m[1], base64: m[2]! } : undefined;
}

/**
 * Why `added` images (their bytes, and names for the message) cannot go with a question, or undefined
 * when they may: `earlierBytes` are the bytes of the images the conversation already carries.
 */
export function imageLimitProblem(
  added: readonly { bytes: number; name?: string }[],
  earlierBytes = 0,
): string | undefined {
  const L = IMAGE_LIMITS;
  if (added.length > L.perQuestion)
    return `A question may carry at most ${L.perQuestion} images (this one has ${added.length}).`;
  const big = added.find((a) => a.bytes > L.bytesPerImage);
  if (big !== undefined)
    return (
      `${big.name ?? 'An image'} is ${formatBytes(big.bytes)}; the limit is ` +
      `${formatBytes(L.bytesPerImage)} an image (scale it down first).`
    );
  const total = earlierBytes + added.reduce((n, a) => n + a.bytes, 0);
  if (total > L.bytesPerConversation)
    return (
      `The images of this conversation would come to ${formatBytes(total)}, over the ` +
      `${formatBytes(L.bytesPerConversation)} ` +
      `a conversation may carry (every image is sent again with each follow-up, and a request is limited to ` +
      `${formatBytes(L.requestBodyBytes)}). Start a new chat for more images.`
    );
  return undefined;
}
