// What counts as an image a question may carry, decided from the bytes alone (never the file name
// or a declared type, as DeepSeek decides): PNG, JPEG, GIF and WebP, each checked by a structural
// parse of its header and chunks (PNG chunks and their CRCs, JPEG segments up to the scan and its
// end marker, GIF blocks, WebP's RIFF chunks and frame header), so a file cut short or renamed is
// refused with one line before anything is sent. SVG is refused outright: it is code (scripts,
// external references), not a picture. Plain TypeScript on Uint8Array: the CLI, the extension host
// and the webview run the same checks (the webview also decodes for real with createImageBitmap).

export const IMAGE_MIMES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;
export type ImageMime = (typeof IMAGE_MIMES)[number];

/** File extensions of the accepted formats (open dialogs, the explorer command). */
export const IMAGE_EXTENSIONS = ['png', 'jpg', 'jpeg', 'gif', 'webp'] as const;

/** The extension an image of `mime` is stored and exported with. */
export const extensionOf = (mime: ImageMime): string => mime.slice('image/'.length).replace('jpeg', 'jpg');

/** A readable image: its format and size in pixels. */
export interface ImageInfo {
  mime: ImageMime;
  width: number;
  height: number;
}

export type ImageCheck = ({ ok: true } & ImageInfo) | { ok: false; reason: string };

const NAMES: Record<ImageMime, string> = {
  'image/png': 'PNG',
  'image/jpeg': 'JPEG',
  'image/gif': 'GIF',
  'image/webp': 'WebP',
};
/** "PNG, JPEG, GIF or WebP": the formats, for messages. */
export const FORMAT_NAMES = 'PNG, JPEG, GIF or WebP';

class Broken extends Error {}
function broken(why: string): never {
  throw new Broken(why);
}

const u16be = (b: Uint8Array, i: number) => (b[i]! << 8) | b[i + 1]!;
const u16le = (b: Uint8Array, i: number) => b[i]! | (b[i + 1]! << 8);
const u24le = (b: Uint8Array, i: number) => b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16);
const u32be = (b: Uint8Array, i: number) => ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
const u32le = (b: Uint8Array, i: number) => (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0;
const ascii = (b: Uint8Array, i: number, n: number) => String.fromCharCode(...b.subarray(i, i + n));
const startsWith = (b: Uint8Array, sig: number[]) => sig.every((x, i) => b[i] === x);

let crcTable: Uint32Array | undefined;
/** CRC-32 (ISO 3309, as PNG uses) of `b[from, to)`. */
function crc32(b: Uint8Array, from: number, to: number): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = from; i < to; i++) c = crcTable[(c ^ b[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const PNG_SIG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function png(b: Uint8Array): ImageInfo {
  let i = 8;
  let width = 0;
  let height = 0;
  let idat = false;
  for (let first = true; ; first = false) {
    if (i + 12 > b.length) broken('it ends before its IEND chunk (the file is cut short?)');
    const length = u32be(b, i);
    const type = ascii(b, i + 4, 4);
    if (!/^[A-Za-z]{4}$/.test(type)) broken(`chunk ${JSON.stringify(type)} at byte ${i} is not a chunk name`);
    const end = i + 12 + length;
    if (length > 0x7fffffff || end > b.length) broken(`chunk ${type} runs past the end of the file (cut short?)`);
    if (crc32(b, i + 4, i + 8 + length) !== u32be(b, i + 8 + length)) broken(`chunk ${type} fails its CRC check`);
    if (first) {
      if (type !== 'IHDR' || length !== 13) broken('its first chunk is not a header (IHDR)');
      width = u32be(b, i + 8);
      height = u32be(b, i + 12);
      const depth = b[i + 16]!;
      const color = b[i + 17]!;
      const depths: Record<number, number[]> = {
        0: [1, 2, 4, 8, 16],
        2: [8, 16],
        3: [1, 2, 4, 8],
        4: [8, 16],
        6: [8, 16],
      };
      if (!depths[color]?.includes(depth)) broken(`its header has colour type ${color} with bit depth ${depth}`);
    }
    if (type === 'IDAT') idat = true;
    if (type === 'IEND') {
      if (!idat) broken('it has no image data (IDAT)');
      return { mime: 'image/png', width, height };
    }
    i = end;
  }
}

/** JPEG markers without a length field: TEM, RSTn, SOI, EOI. */
const standalone = (m: number) => m === 0x01 || (m >= 0xd0 && m <= 0xd9);

function jpeg(b: Uint8Array): ImageInfo {
  let i = 2;
  let size: { width: number; height: number } | undefined;
  while (true) {
    if (i + 4 > b.length) broken('it ends before its image data (the file is cut short?)');
    if (b[i] !== 0xff) broken(`there is no marker at byte ${i}`);
    let m = b[i + 1]!;
    while (m === 0xff && i + 2 < b.length) m = b[++i + 1]!; // fill bytes
    if (standalone(m)) {
      if (m === 0xd9) broken('it ends before its image data');
      i += 2;
      continue;
    }
    const length = u16be(b, i + 2);
    if (length < 2 || i + 2 + length > b.length) broken(`segment 0x${m.toString(16)} runs past the end of the file`);
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC): precision, height, width, components.
    if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) {
      if (length < 8) broken('its frame header is too short');
      size = { height: u16be(b, i + 5), width: u16be(b, i + 7) };
    }
    if (m === 0xda) {
      if (!size) broken('its scan starts before a frame header (SOF)');
      // Entropy-coded data follows; a whole file ends with EOI (trailing bytes after it are tolerated).
      const from = i + 2 + length;
      for (let j = b.length - 2; j >= from; j--)
        if (b[j] === 0xff && b[j + 1] === 0xd9) return { mime: 'image/jpeg', ...size };
      broken('it has no end marker (EOI): the file is cut short');
    }
    i += 2 + length;
  }
}

/** Skips GIF data sub-blocks from `i`; returns the index after the terminator. */
function subBlocks(b: Uint8Array, i: number): number {
  while (true) {
    if (i >= b.length) broken('a data block runs past the end of the file (cut short?)');
    const n = b[i]!;
    i += 1 + n;
    if (n === 0) return i;
  }
}

function gif(b: Uint8Array): ImageInfo {
  if (b.length < 13) broken('its header is cut short');
  const width = u16le(b, 6);
  const height = u16le(b, 8);
  const flags = b[10]!;
  let i = 13 + (flags & 0x80 ? 3 * (1 << ((flags & 7) + 1)) : 0);
  let images = 0;
  while (true) {
    if (i >= b.length) {
      if (images) return { mime: 'image/gif', width, height }; // no trailer, but whole frames: browsers show it
      broken('it ends before its first frame (cut short?)');
    }
    const block = b[i]!;
    if (block === 0x3b) {
      if (!images) broken('it has no frame');
      return { mime: 'image/gif', width, height };
    } else if (block === 0x21) {
      i = subBlocks(b, i + 2);
    } else if (block === 0x2c) {
      if (i + 10 > b.length) broken('a frame header is cut short');
      const local = b[i + 9]!;
      i += 10 + (local & 0x80 ? 3 * (1 << ((local & 7) + 1)) : 0);
      if (i >= b.length) broken('a frame is cut short');
      const codeSize = b[i]!;
      if (codeSize < 2 || codeSize > 11) broken(`a frame has LZW code size ${codeSize}`);
      i = subBlocks(b, i + 1);
      images++;
    } else broken(`byte ${i} starts no GIF block (0x${block.toString(16)})`);
  }
}

function webp(b: Uint8Array): ImageInfo {
  const riffEnd = 8 + u32le(b, 4);
  if (riffEnd > b.length) broken('it is shorter than its RIFF header says (cut short?)');
  let i = 12;
  let canvas: { width: number; height: number } | undefined;
  let frame: { width: number; height: number } | undefined;
  while (i + 8 <= riffEnd) {
    const type = ascii(b, i, 4);
    const length = u32le(b, i + 4);
    const data = i + 8;
    if (data + length > riffEnd) broken(`chunk ${JSON.stringify(type)} runs past the end of the file`);
    if (type === 'VP8X') {
      if (length < 10) broken('its VP8X header is too short');
      canvas = { width: u24le(b, data + 4) + 1, height: u24le(b, data + 7) + 1 };
    } else if (type === 'VP8 ') {
      if (length < 10 || b[data + 3] !== 0x9d || b[data + 4] !== 0x01 || b[data + 5] !== 0x2a)
        broken('its VP8 frame has no start code');
      frame ??= { width: u16le(b, data + 6) & 0x3fff, height: u16le(b, data + 8) & 0x3fff };
    } else if (type === 'VP8L') {
      if (length < 5 || b[data] !== 0x2f) broken('its VP8L frame has no signature');
      const bits = u32le(b, data + 1);
      frame ??= { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
    } else if (type === 'ANMF') {
      if (length < 16) broken('an animation frame is too short');
      frame ??= { width: u24le(b, data + 6) + 1, height: u24le(b, data + 9) + 1 };
    }
    i = data + length + (length & 1);
  }
  if (!frame) broken('it has no image frame (VP8, VP8L or ANMF)');
  return { mime: 'image/webp', ...(canvas ?? frame) };
}

/** What other kinds of file are, for a one-line refusal (checked only when no accepted format matched). */
function otherKind(b: Uint8Array): string | undefined {
  let i = 0;
  if (startsWith(b, [0xef, 0xbb, 0xbf])) i = 3;
  while (i < b.length && i < 1024 && /\s/.test(String.fromCharCode(b[i]!))) i++;
  const head = ascii(b, i, Math.min(1024, b.length - i));
  if (/^<svg[\s>]/i.test(head) || (/^<\?xml|^<!DOCTYPE svg/i.test(head) && /<svg[\s>]/i.test(head)))
    return 'an SVG: SVG is not accepted, it is code (scripts, links) rather than a picture; export it as PNG';
  if (startsWith(b, [0x42, 0x4d])) return 'a BMP image';
  if (startsWith(b, [0x49, 0x49, 0x2a, 0x00]) || startsWith(b, [0x4d, 0x4d, 0x00, 0x2a])) return 'a TIFF image';
  if (ascii(b, 4, 4) === 'ftyp') {
    const brand = ascii(b, 8, 4);
    if (/^(heic|heix|hevc|mif1|msf1)$/.test(brand)) return 'a HEIC image';
    if (/^avi[fs]$/.test(brand)) return 'an AVIF image';
  }
  if (startsWith(b, [0x00, 0x00, 0x01, 0x00])) return 'an ICO icon';
  return undefined;
}

/**
 * Checks that `bytes` are a whole PNG, JPEG, GIF or WebP image, by their content; `label` names the
 * file in the refusal ("shot.png is not …"). Never throws.
 */
export function checkImage(bytes: Uint8Array, label = 'the file'): ImageCheck {
  const refuse = (reason: string): ImageCheck => ({ ok: false, reason: `${label} ${reason}` });
  let kind: ImageMime | undefined;
  if (startsWith(bytes, PNG_SIG)) kind = 'image/png';
  else if (startsWith(bytes, [0xff, 0xd8, 0xff])) kind = 'image/jpeg';
  else if (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a') kind = 'image/gif';
  else if (bytes.length >= 16 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') kind = 'image/webp';
  if (!kind) {
    if (!bytes.length) return refuse('is empty');
    const other = otherKind(bytes);
    return refuse(other ? `is ${other}` : `is not an image (${FORMAT_NAMES})`);
  }
  try {
    const info = { 'image/png': png, 'image/jpeg': jpeg, 'image/gif': gif, 'image/webp': webp }[kind](bytes);
    if (!(info.width > 0 && info.height > 0)) broken(`its header gives a size of ${info.width}×${info.height}`);
    return { ok: true, ...info };
  } catch (e) {
    if (!(e instanceof Broken)) throw e;
    return refuse(`starts like a ${NAMES[kind]} but cannot be read as one: ${e.message}`);
  }
}

/** The format name for people ("PNG"). */
export const formatName = (mime: ImageMime): string => NAMES[mime];

/** True for an accepted MIME type (a value read from a message or a history file). */
export const isImageMime = (v: unknown): v is ImageMime => (IMAGE_MIMES as readonly unknown[]).includes(v);
