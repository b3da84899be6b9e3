// The images a question carries, in the composer: pasted from the clipboard, dropped from the OS
// (files) or from VS Code's explorer (URIs the host reads), or picked with the attach button. Each
// is checked from its bytes (a whole PNG, JPEG, GIF or WebP; SVG never) and decoded by the browser;
// one over the per-image limit is scaled down on a canvas before sending, and the user is told. The
// thumbnails sit under the box, each removable and viewable large; the limits are stated up front.
// Only the user's own images are ever shown here, as `data:` URLs (the CSP allows nothing else).
import { checkImage, IMAGE_MIMES } from '../protocol/imageFormat';
import { formatBytes, IMAGE_LIMITS, LIMITS_TEXT, parseDataUrl } from '../protocol/images';
import type { ImageUpload } from '../protocol/messages';
import { h, icon } from './dom';

/** An attached image: what is sent, and what the thumbnail shows. */
interface Attached extends ImageUpload {
  width: number;
  height: number;
  bytes: number;
}

export interface AttachmentEvents {
  /** Files dropped from VS Code's explorer: their URIs, for the host to read. */
  attachFiles(uris: string[]): void;
  changed(): void;
  /** The images held changed (added, removed, cleared): what to send now. */
  imagesChanged(images: ImageUpload[]): void;
}

const base64Of = (bytes: Uint8Array): string => {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
};
const bytesOf = (base64: string): Uint8Array => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));

/** Scales `bitmap` down until it encodes (JPEG, or PNG when it has transparency) under `limit` bytes. */
async function scaledDown(bitmap: ImageBitmap, limit: number, mime: string): Promise<Uint8Array> {
  const type = mime === 'image/png' || mime === 'image/gif' || mime === 'image/webp' ? 'image/webp' : 'image/jpeg';
  let scale = 1;
  for (let i = 0; i < 8; i++) {
    scale *= i === 0 ? 1 : 0.75;
    const canvas = new OffscreenCanvas(
      Math.max(1, Math.round(bitmap.width * scale)),
      Math.max(1, Math.round(bitmap.height * scale)),
    );
    canvas.getContext('2d')!.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    const blob = await canvas.convertToBlob({ type, quality: 0.9 });
    if (blob.size <= limit) return new Uint8Array(await blob.arrayBuffer());
  }
  throw new Error('it stays over the limit even scaled down');
}

export class Attachments {
  readonly root: HTMLElement;
  /** The attach button, for the composer's row. */
  readonly button: HTMLButtonElement;
  private readonly tray: HTMLElement;
  private readonly note: HTMLElement;
  private readonly picker: HTMLInputElement;
  private readonly viewer: HTMLDialogElement;
  private items: Attached[] = [];
  /** Checks running (a paste or drop being read), so a send waits for none. */
  private pending = 0;

  constructor(private readonly events: AttachmentEvents) {
    this.tray = h('div', { class: 'attachments', role: 'list', 'aria-label': 'Images sent with the question' });
    this.note = h('div', { class: 'attach-note', role: 'status', hidden: true });
    this.picker = h('input', { type: 'file', accept: IMAGE_MIMES.join(','), multiple: true, hidden: true });
    this.picker.addEventListener('change', () => {
      void this.addFiles([...(this.picker.files ?? [])]);
      this.picker.value = '';
    });
    this.button = h(
      'button',
      {
        type: 'button',
        class: 'icon-button attach',
        title: `Attach images. ${LIMITS_TEXT} You can also paste or drop them.`,
        'aria-label': 'Attach images',
      },
      icon('file-media'),
    );
    this.button.addEventListener('click', () => this.picker.click());
    this.viewer = h('dialog', { class: 'image-viewer', 'aria-label': 'Image' });
    this.viewer.addEventListener('click', () => this.viewer.close());
    this.root = h('div', { class: 'attach-area' }, this.tray, this.note, this.picker, this.viewer);
    this.render();
  }

  /** The images to send, or undefined when there are none. */
  get uploads(): ImageUpload[] | undefined {
    return this.items.length
      ? this.items.map(({ name, dataUrl, scaledFrom }) => ({
          ...(name ? { name } : {}),
          dataUrl,
          ...(scaledFrom ? { scaledFrom } : {}),
        }))
      : undefined;
  }

  get busy(): boolean {
    return this.pending > 0;
  }

  clear(): void {
    const had = this.items.length > 0;
    this.items = [];
    this.say(undefined);
    this.render();
    if (had) this.events.imagesChanged([]);
  }

  /** Takes a paste's images (true when it had any: the paste is then not text). */
  onPaste(e: ClipboardEvent): boolean {
    const files = [...(e.clipboardData?.files ?? [])].filter((f) => f.type.startsWith('image/') || !f.type);
    if (!files.length) return false;
    e.preventDefault();
    void this.addFiles(files.map((f, i) => (f.name ? f : new File([f], `pasted-${i + 1}`, { type: f.type }))));
    return true;
  }

  /** Takes dropped files (from the OS) or URIs (from VS Code's explorer, read by the host). */
  onDrop(e: DragEvent): void {
    const dt = e.dataTransfer;
    if (!dt) return;
    e.preventDefault();
    const files = [...dt.files];
    if (files.length) return void this.addFiles(files);
    const list = dt.getData('application/vnd.code.uri-list') || dt.getData('text/uri-list');
    const uris = list
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    if (uris.length) this.events.attachFiles(uris);
  }

  /** Images the host read (the explorer command, a file dropped from VS Code's explorer), and why others were not. */
  async addUploads(uploads: readonly ImageUpload[], refused: readonly string[] = []): Promise<void> {
    const problems = [...refused];
    for (const u of uploads) {
      const parsed = parseDataUrl(u.dataUrl);
      if (!parsed) continue;
      const problem = await this.add(bytesOf(parsed.base64), u.name ?? 'image', u.scaledFrom);
      if (problem) problems.push(problem);
    }
    if (problems.length) this.say(problems.join(' '));
  }

  /** Files from a paste, a drop or the picker. */
  async addFiles(files: readonly File[]): Promise<void> {
    const problems: string[] = [];
    for (const f of files) {
      const problem = await this.add(new Uint8Array(await f.arrayBuffer()), f.name || 'image');
      if (problem) problems.push(problem);
    }
    if (problems.length) this.say(problems.join(' '));
  }

  /**
   * Adds one image (checked, decoded, scaled down when over the limit); a sentence when it cannot. `scaledFrom`: it was
   * scaled down before (an image the host gives back).
   */
  private async add(
    bytes: Uint8Array,
    name: string,
    scaledFrom?: ImageUpload['scaledFrom'],
  ): Promise<string | undefined> {
    if (this.items.length >= IMAGE_LIMITS.perQuestion)
      return `${name} was not attached: a question may carry at most ${IMAGE_LIMITS.perQuestion} images.`;
    const check = checkImage(bytes, name);
    if (!check.ok) return `${check.reason}.`;
    this.pending++;
    try {
      let bitmap: ImageBitmap;
      try {
        bitmap = await createImageBitmap(new Blob([bytes as BlobPart], { type: check.mime }));
      } catch {
        return `${name} cannot be decoded as the ${check.mime.slice(6).toUpperCase()} its header claims.`;
      }
      let item: Attached = {
        name,
        dataUrl: `data:${check.mime};base64,${base64Of(bytes)}`,
        width: check.width,
        height: check.height,
        bytes: bytes.length,
        ...(scaledFrom ? { scaledFrom } : {}),
      };
      let told: string | undefined;
      if (bytes.length > IMAGE_LIMITS.bytesPerImage) {
        let smaller: Uint8Array;
        try {
          smaller = await scaledDown(bitmap, IMAGE_LIMITS.bytesPerImage, check.mime);
        } catch (e) {
          return `${name} is over the ${formatBytes(IMAGE_LIMITS.bytesPerImage)} limit and ${(e as Error).message}.`;
        }
        const again = checkImage(smaller, name);
        if (!again.ok) return `${name} could not be scaled down: ${again.reason}.`;
        item = {
          name,
          dataUrl: `data:${again.mime};base64,${base64Of(smaller)}`,
          width: again.width,
          height: again.height,
          bytes: smaller.length,
          scaledFrom: { bytes: bytes.length, width: check.width, height: check.height },
        };
        told =
          `${name} was scaled down from ${check.width}×${check.height} (${formatBytes(bytes.length)}) to ` +
          `${again.width}×${again.height} (${formatBytes(smaller.length)}) to fit the ` +
          `${formatBytes(IMAGE_LIMITS.bytesPerImage)} limit an image.`;
      }
      bitmap.close();
      if (this.items.length >= IMAGE_LIMITS.perQuestion)
        return `${name} was not attached: a question may carry at most ${IMAGE_LIMITS.perQuestion} images.`;
      this.items.push(item);
      this.render();
      this.say(told);
      this.events.imagesChanged(this.uploads ?? []);
      return undefined;
    } finally {
      this.pending--;
    }
  }

  private say(text: string | undefined): void {
    this.note.hidden = !text;
    this.note.textContent = text ?? '';
  }

  private render(): void {
    this.tray.hidden = !this.items.length;
    this.tray.replaceChildren(
      ...this.items.map((item, i) => {
        const label = `${item.name ?? 'image'}, ${item.width}×${item.height}, ${formatBytes(item.bytes)}`;
        const view = h(
          'button',
          {
            type: 'button',
            class: 'thumb',
            title: `${label}${item.scaledFrom ? ' (scaled down)' : ''}: click to view`,
          },
          h('img', { src: item.dataUrl, alt: item.name ?? 'image' }),
        );
        view.addEventListener('click', () => this.show(item));
        const remove = h(
          'button',
          {
            type: 'button',
            class: 'thumb-remove',
            title: `Remove ${item.name ?? 'image'}`,
            'aria-label': `Remove ${label}`,
          },
          icon('close'),
        );
        remove.addEventListener('click', () => {
          this.items.splice(i, 1);
          this.say(undefined);
          this.render();
          this.events.imagesChanged(this.uploads ?? []);
        });
        return h('div', { class: 'attachment', role: 'listitem' }, view, remove);
      }),
      ...(this.items.length ? [h('span', { class: 'attach-limits' }, LIMITS_TEXT)] : []),
    );
    this.events.changed();
  }

  /** The image large, over the chat; a click or Escape closes it. */
  private show(item: Attached): void {
    this.viewer.replaceChildren(
      h('img', { src: item.dataUrl, alt: item.name ?? 'image' }),
      h(
        'div',
        { class: 'image-viewer-caption' },
        `${item.name ?? 'image'} · ${item.width}×${item.height} · ${formatBytes(item.bytes)}`,
      ),
    );
    this.viewer.showModal();
  }
}
