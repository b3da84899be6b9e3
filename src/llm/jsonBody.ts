// The request body as UTF-8 JSON bytes, exactly what JSON.stringify makes, but remembering the
// encoded JSON of the few long texts recent requests carried: an agent step re-sends the whole
// conversation (a repository of up to 1M tokens, ~3.5 MB) and only appends to it, so escaping,
// joining and encoding the same megabytes again on every step would be most of the time between a
// tool result and the next request on the wire. Assembled into a Blob: fetch sends it without
// converting a string again, and can send it again on a 307/308 redirect (a Uint8Array body is
// detached once sent). Its stream is the whole body in one chunk (BodyBlob).
/** Texts at least this long (UTF-16 code units) have their encoded JSON remembered. */
const LONG_CHARS = 64 * 1024;
/** Long texts remembered (a repository, an updated-files section, a long tool result or two). */
const REMEMBERED = 8;

const encoded = new Map<string, Buffer>();

/** The UTF-8 bytes of `JSON.stringify(text)`, remembered for long texts. */
function jsonString(text: string): Buffer {
  if (text.length < LONG_CHARS) return Buffer.from(JSON.stringify(text));
  let bytes = encoded.get(text);
  if (bytes === undefined) {
    bytes = Buffer.from(JSON.stringify(text));
    if (encoded.size >= REMEMBERED) encoded.delete(encoded.keys().next().value!);
    encoded.set(text, bytes);
  }
  return bytes;
}

const serialisable = (v: unknown) => v !== undefined && typeof v !== 'function' && typeof v !== 'symbol';

/**
 * Appends the JSON of an object to `out`: string fields through `jsonString`, the rest as JSON.stringify writes them.
 */
function pushObject(out: Buffer[], o: object, messages: boolean): void {
  let first = true;
  out.push(Buffer.from('{'));
  for (const [k, v] of Object.entries(o)) {
    if (!serialisable(v)) continue;
    out.push(Buffer.from(`${first ? '' : ','}${JSON.stringify(k)}:`));
    first = false;
    if (messages && k === 'messages' && Array.isArray(v)) {
      out.push(Buffer.from('['));
      v.forEach((m: object, i) => {
        if (i) out.push(Buffer.from(','));
        if (m === null || typeof m !== 'object') out.push(Buffer.from(JSON.stringify(m) ?? 'null'));
        else pushObject(out, m, false);
      });
      out.push(Buffer.from(']'));
    } else out.push(typeof v === 'string' ? jsonString(v) : Buffer.from(JSON.stringify(v)));
  }
  out.push(Buffer.from('}'));
}

/**
 * The UTF-8 bytes of `JSON.stringify(body)` for a chat request body (its messages serialised one by one), as a Blob.
 */
export function jsonBody(body: object): Blob {
  const out: Buffer[] = [];
  pushObject(out, body, true);
  return new BodyBlob(Buffer.concat(out));
}

/**
 * A Blob whose stream is its bytes in one chunk. fetch reads a Blob body through `stream()`, and a
 * plain Blob's hands a 3.5 MB body over in 64 KiB pieces, each copied and written to the socket on
 * its own: that was most of the CPU between a tool result and the next request on the wire
 * (bench:agent, ~1M-token prompt). Still a Blob, so a redirect gets a fresh stream of the same bytes.
 */
class BodyBlob extends Blob {
  constructor(private readonly whole: Buffer) {
    super([whole]);
  }

  override stream(): ReadableStream<Uint8Array<ArrayBuffer>> {
    const { buffer, byteOffset, byteLength } = this.whole;
    return new ReadableStream({
      pull(controller) {
        // A view, not a copy: a default stream does not detach what it is given.
        controller.enqueue(new Uint8Array(buffer as ArrayBuffer, byteOffset, byteLength));
        controller.close();
      },
    });
  }
}
