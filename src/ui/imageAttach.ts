// Images that reach the chat from the host side: files dropped from VS Code's explorer onto the
// composer (the webview gets only their URIs) and the explorer's "Ask DeepSeek About This Image".
// Each file is read, checked from its bytes (a whole PNG, JPEG, GIF or WebP; SVG never) and sent
// to the composer as an `attachImages` message; one that cannot go is named in a sentence. Files
// over the per-image limit go as they are: the composer scales them down and says so. And the
// composer's images on their way to the session: `data:` URLs back to bytes. No vscode: the file
// system comes in as a function.
import type { NewImage } from '../chat/imageStore';
import { checkImage } from '../protocol/imageFormat';
import { dataUrl, IMAGE_LIMITS, parseDataUrl } from '../protocol/images';
import type { ImageNote, ImageUpload } from '../protocol/messages';

/** Largest file read for the composer (bytes): it scales down up to this, and refuses larger. */
const MAX_READ_BYTES = 64 * 1024 * 1024;

/** The file's name (shown) and bytes; throws with a readable message when it cannot be read. */
export type ReadFile = (uri: string) => Promise<{ name: string; size: number; read(): Promise<Uint8Array> }>;

/** The `attachImages` message for `uris`: the images that can go, and a sentence for each that cannot. */
export async function imagesFromFiles(
  uris: readonly string[],
  readFile: ReadFile,
): Promise<{ images: ImageUpload[]; refused: string[] }> {
  const images: ImageUpload[] = [];
  const refused: string[] = [];
  for (const uri of uris) {
    try {
      const file = await readFile(uri);
      if (images.length >= IMAGE_LIMITS.perQuestion) {
        refused.push(`${file.name} was not attached: a question may carry at most ${IMAGE_LIMITS.perQuestion} images.`);
        continue;
      }
      if (file.size > MAX_READ_BYTES) {
        refused.push(`${file.name} is too large to attach (${Math.round(file.size / 2 ** 20)} MiB).`);
        continue;
      }
      const bytes = await file.read();
      const check = checkImage(bytes, file.name);
      if (!check.ok) {
        refused.push(`${check.reason}.`);
        continue;
      }
      images.push({ name: file.name, dataUrl: dataUrl(check.mime, Buffer.from(bytes).toString('base64')) });
    } catch (e) {
      refused.push(`${uri.split('/').pop() ?? uri} cannot be read: ${(e as Error).message}`);
    }
  }
  return { images, refused };
}

/** The composer's images as the session takes them (bytes), with what the transcript shows of each. */
export function imagesFromUploads(uploads: readonly ImageUpload[]): { images: NewImage[]; notes: ImageNote[] } {
  const images: NewImage[] = [];
  const notes: ImageNote[] = [];
  for (const u of uploads) {
    const parsed = parseDataUrl(u.dataUrl);
    const bytes = parsed ? new Uint8Array(Buffer.from(parsed.base64, 'base64')) : new Uint8Array();
    images.push({ bytes, ...(u.name ? { name: u.name } : {}), ...(u.scaledFrom ? { scaledFrom: u.scaledFrom } : {}) });
    const check = checkImage(bytes);
    if (check.ok)
      notes.push({
        ...(u.name ? { name: u.name } : {}),
        width: check.width,
        height: check.height,
        bytes: bytes.length,
      });
  }
  return { images, notes };
}
