// The images waiting in a chat's question box, not sent yet, kept on disk: a window reload starts the
// extension host afresh, and the box's text comes back from the webview's saved state while its pictures
// (too large for that state, which is copied on every save) would be lost. One small JSON file a view,
// written whole (through a temporary file and a rename) whenever the box's pictures change, removed
// when the box has none. A file that cannot be read back, or does not hold images as the composer sends
// them, gives an empty box, never an error: the draft is a convenience, the question is the user's.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { IMAGE_LIMITS } from '../protocol/images';
import { imageUpload, type ImageUpload } from '../protocol/records';
import { arrayOf } from '../protocol/schema';
import { writeFileWhole } from '../shared/wholeFile';

/** Where a view's waiting images are kept. */
export interface DraftImageStore {
  /** The images saved last (none when nothing was saved, or what was saved cannot be used). */
  load(): ImageUpload[];
  /** Keeps `images` (none: forgets the draft). */
  save(images: readonly ImageUpload[]): void;
}

const draft = arrayOf(imageUpload, IMAGE_LIMITS.perQuestion);

/** A view's waiting images in one JSON file; failures are reported through `warn` (one line), never thrown. */
export class FileDraftImages implements DraftImageStore {
  constructor(
    readonly file: string,
    private readonly warn: (line: string) => void = () => {},
  ) {}

  load(): ImageUpload[] {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.warn(`Waiting images not read back: ${message(e)}`);
      return [];
    }
    let images: ImageUpload[] | undefined;
    try {
      images = draft(JSON.parse(text));
    } catch {
      images = undefined;
    }
    if (!images) this.warn(`Waiting images not read back: ${path.basename(this.file)} does not hold images.`);
    return images ?? [];
  }

  save(images: readonly ImageUpload[]): void {
    try {
      if (!images.length) {
        fs.rmSync(this.file, { force: true });
        return;
      }
      writeFileWhole(this.file, JSON.stringify(images));
    } catch (e) {
      this.warn(`Waiting images not kept for a reload: ${message(e)}`);
    }
  }
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
