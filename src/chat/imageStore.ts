// The bytes of the images questions carried, kept beside the history as content-addressed files
// (`<sha256>.<ext>`), never as base64 inside the JSONL: a conversation log stays small and readable,
// the same screenshot in two conversations is stored once, and a request re-sends each image as the
// very same `data:` URL on every follow-up (its bytes are read back and checked against their hash).
// A conversation's delete removes its images unless another conversation still names them
// (history.ts `HistoryStore.delete`).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkImage } from '../protocol/imageFormat';
import { dataUrl, imageFileName, type ImageRef } from '../protocol/images';
import { ConversationStateError } from './conversation';
import { sha256 } from '../shared/hash';
import { writeFileWhole } from '../shared/wholeFile';

/** An image as a front end hands it to a question: its bytes and what the user should see of it. */
export interface NewImage {
  bytes: Uint8Array;
  /** File name or kind of paste (shown, never sent). */
  name?: string;
  /** It was scaled down before (the chat's canvas): the original's size. */
  scaledFrom?: ImageRef['scaledFrom'];
}

/**
 * The error of an image that cannot be used (not one, cut short, over a limit, gone from the store): one line for the
 * user, nothing sent.
 */
export class ImageError extends ConversationStateError {}

export interface ImageStore {
  /** Stores checked bytes under their hash (nothing happens when they are there already). */
  put(ref: ImageRef, bytes: Uint8Array): void;
  /** The bytes of `ref`, checked against its hash; throws ImageError when they are gone or changed. */
  read(ref: ImageRef): Uint8Array;
}

/**
 * Checks `image` (a whole PNG, JPEG, GIF or WebP, by its bytes) and makes its reference; throws ImageError with one
 * line when it is not one.
 */
export function imageRefFor(image: NewImage): ImageRef {
  const check = checkImage(image.bytes, image.name ?? 'an image');
  if (!check.ok) throw new ImageError(check.reason);
  return {
    sha256: sha256(image.bytes),
    mime: check.mime,
    bytes: image.bytes.length,
    width: check.width,
    height: check.height,
    ...(image.name ? { name: image.name } : {}),
    ...(image.scaledFrom ? { scaledFrom: image.scaledFrom } : {}),
  };
}

const gone = (ref: ImageRef, why: string) =>
  new ImageError(
    `The image ${ref.name ? `${ref.name} ` : ''}(${ref.sha256.slice(0, 12)}) of this conversation ${why}: ` +
      'its question cannot be sent again as it was. Start a new chat.',
  );

export class MemoryImageStore implements ImageStore {
  readonly files = new Map<string, Uint8Array>();
  put(ref: ImageRef, bytes: Uint8Array): void {
    this.files.set(ref.sha256, bytes.slice());
  }
  read(ref: ImageRef): Uint8Array {
    const bytes = this.files.get(ref.sha256);
    if (!bytes) throw gone(ref, 'is missing');
    return bytes;
  }
}

export class FileImageStore implements ImageStore {
  constructor(readonly dir: string) {}

  /** The path of `ref`'s file. */
  file(ref: Pick<ImageRef, 'sha256' | 'mime'>): string {
    return path.join(this.dir, imageFileName(ref));
  }

  put(ref: ImageRef, bytes: Uint8Array): void {
    const file = this.file(ref);
    if (fs.existsSync(file) && fs.statSync(file).size === bytes.length) return;
    // Written whole: a crash never leaves half an image under its hash.
    writeFileWhole(file, bytes, 0o600);
  }

  read(ref: ImageRef): Uint8Array {
    let bytes: Uint8Array;
    try {
      bytes = fs.readFileSync(this.file(ref));
    } catch {
      throw gone(ref, `is missing from ${this.dir}`);
    }
    if (sha256(bytes) !== ref.sha256) throw gone(ref, 'was changed on disk');
    return bytes;
  }

  /** The hashes of the stored images. */
  hashes(): string[] {
    if (!fs.existsSync(this.dir)) return [];
    return fs.readdirSync(this.dir).flatMap((n) => /^([0-9a-f]{64})\.[a-z]+$/.exec(n)?.[1] ?? []);
  }

  /** Removes the image `sha256` (any extension); false when there was none. */
  remove(sha256: string): boolean {
    if (!fs.existsSync(this.dir)) return false;
    let removed = false;
    for (const n of fs.readdirSync(this.dir))
      if (n.startsWith(`${sha256}.`)) {
        fs.rmSync(path.join(this.dir, n), { force: true });
        removed = true;
      }
    return removed;
  }
}

/** Largest total of base64 the URL cache keeps (characters): a conversation's images at their limit fit. */
const URL_CACHE_CHARS = 64 * 1024 * 1024;

/**
 * The `data:` URLs of a store's images, each made once (read, checked, base64) and kept while they
 * fit URL_CACHE_CHARS, so every follow-up re-sends the same string without reading the files again.
 */
export class ImageUrlCache {
  private readonly urls = new Map<string, string>();
  private chars = 0;

  constructor(private readonly store: ImageStore) {}

  /** The `data:` URL of `ref`; `pending` holds bytes not stored yet (the question being asked). */
  url(ref: ImageRef, pending?: ReadonlyMap<string, Uint8Array>): string {
    const cached = this.urls.get(ref.sha256);
    if (cached) return cached;
    const bytes = pending?.get(ref.sha256) ?? this.store.read(ref);
    const url = dataUrl(ref.mime, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('base64'));
    while (this.chars + url.length > URL_CACHE_CHARS && this.urls.size) {
      const [first, old] = this.urls.entries().next().value!;
      this.urls.delete(first);
      this.chars -= old.length;
    }
    if (url.length <= URL_CACHE_CHARS) {
      this.urls.set(ref.sha256, url);
      this.chars += url.length;
    }
    return url;
  }
}
