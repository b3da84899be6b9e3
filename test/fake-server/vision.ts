// Images in the fake server, as DeepSeek handles them (../shared/deepseek-api.md, "Images"): a user
// message may be OpenAI content parts, text and `image_url` with a `data:` URL; only vision models
// take them (deepseek-flash and its aliases: a request with an image to any other model is refused
// with 400 the way DeepSeek refuses a content part it does not know), the format is read from the
// bytes (a URL whose bytes are no PNG, JPEG, GIF or WebP is refused), and each image bills a fixed
// number of input tokens derived from its bytes, so the same image always renders to the same tokens
// (the cache model can match it) and another image never does.
import { createHash } from 'node:crypto';

export type WirePart = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } };
/** A message's content as the wire carries it (ChatBody types it as a string: parts arrive only with images). */
export type WireContent = string | null | WirePart[] | undefined;

/** Models that read images, as DeepSeek's vision guide names them. */
export const VISION_MODELS = ['deepseek-flash', 'deepseek-v4-flash', 'deepseek-v4-flash-vision-exp'];

/** Input tokens an image bills (what third parties measured on DeepSeek for large images). */
export const IMAGE_TOKENS = 346;

/** The text of a message's content (its text parts joined). */
export function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return (content as WirePart[]).map((p) => (p.type === 'text' ? p.text : '')).join('\n');
}

/** The `image_url` URLs of a message's content. */
export function imageUrlsOf(content: unknown): string[] {
  return Array.isArray(content)
    ? (content as WirePart[]).flatMap((p) => (p.type === 'image_url' ? [p.image_url.url] : []))
    : [];
}

/** The format of an image from its first bytes (what DeepSeek goes by), or undefined. */
export function sniff(bytes: Buffer): string | undefined {
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (/^GIF8[79]a/.test(bytes.subarray(0, 6).toString('latin1'))) return 'image/gif';
  if (bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP')
    return 'image/webp';
  return undefined;
}

/** The images of a request, decoded: format (from the bytes) and size. */
export function decodedImages(messages: { content: unknown }[]): { mime?: string; bytes: number }[] {
  return messages.flatMap((m) =>
    imageUrlsOf(m.content).map((url) => {
      const data = /^data:[^;,]*;base64,(.*)$/s.exec(url)?.[1];
      if (data === undefined) return { bytes: 0 };
      const bytes = Buffer.from(data, 'base64');
      return { mime: sniff(bytes), bytes: bytes.length };
    }),
  );
}

const invalid = (message: string) => ({
  error: { message, type: 'invalid_request_error', param: null, code: 'invalid_request_error' },
});

/** The 400 body DeepSeek would answer a request's images with, or undefined when they are fine. */
export function visionViolation(
  body: { model: string; messages: { role: string; content: unknown }[] },
  visionModels: readonly string[],
): ReturnType<typeof invalid> | undefined {
  for (const [i, m] of body.messages.entries()) {
    const urls = imageUrlsOf(m.content);
    if (!urls.length) continue;
    if (m.role !== 'user') return invalid(`messages[${i}]: image content is only allowed in user messages`);
    if (!visionModels.includes(body.model))
      return invalid(
        `Failed to deserialize the JSON body into the target type: messages[${i}]: unknown variant ` +
          `\`image_url\`, expected \`text\``,
      );
    for (const url of urls) {
      const data = /^data:[^;,]*;base64,(.*)$/s.exec(url)?.[1];
      if (data === undefined) return invalid(`messages[${i}]: image_url must be a base64 data URL in this fake`);
      if (!sniff(Buffer.from(data, 'base64'))) return invalid(`messages[${i}]: Invalid image: unsupported format`);
    }
  }
  return undefined;
}

/** The tokens an image renders to: IMAGE_TOKENS ids derived from its URL, above every real and special token. */
export function imageTokens(url: string): Uint32Array {
  const h = createHash('sha256').update(url).digest();
  const out = new Uint32Array(IMAGE_TOKENS);
  for (let i = 0; i < IMAGE_TOKENS; i++)
    out[i] = (0x9000_0000 | ((h.readUInt32LE((i % 8) * 4) ^ Math.imul(i, 0x9e3779b1)) & 0x0fff_ffff)) >>> 0;
  return out;
}
