// The image checks every front end runs before a question is sent: the four accepted formats read
// from their bytes (never the name), whole files only (cut, damaged and renamed files refused with
// one line naming the file), SVG and other formats refused by name, and the limits of a question and
// a conversation.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkImage } from '../../../src/protocol/imageFormat';
import { IMAGE_LIMITS, imageLimitProblem, imageRefOf, parseDataUrl, LIMITS_TEXT } from '../../../src/protocol/images';
import { REPO } from '../../helpers/paths';

const DIR = path.join(REPO, 'test/fixtures/images');
const read = (name: string) => new Uint8Array(fs.readFileSync(path.join(DIR, name)));

/** Every fixture with the format and size Chromium decodes it to (checked once with createImageBitmap). */
const FIXTURES: [string, string, number, number][] = [
  ['shot.png', 'image/png', 16, 12],
  ['photo.jpg', 'image/jpeg', 20, 10],
  ['tiny.gif', 'image/gif', 1, 1],
  ['anim.gif', 'image/gif', 1, 1],
  ['lossy.webp', 'image/webp', 24, 18],
  ['lossless.webp', 'image/webp', 10, 7],
  ['simple-lossy.webp', 'image/webp', 24, 18],
  ['simple-lossless.webp', 'image/webp', 10, 7],
];

const refused = (bytes: Uint8Array, label = 'x.png') => {
  const r = checkImage(bytes, label);
  assert.equal(r.ok, false, `accepted: ${label}`);
  return (r as { reason: string }).reason;
};

describe('image format checks', () => {
  for (const [name, mime, width, height] of FIXTURES)
    it(`reads ${name} as ${mime} ${width}×${height} from its bytes`, () => {
      assert.deepEqual(checkImage(read(name), name), { ok: true, mime, width, height });
    });

  it('goes by the bytes, not the name: a JPEG named .png is a JPEG, a text file named .png is no image', () => {
    assert.equal((checkImage(read('photo.jpg'), 'shot.png') as { mime: string }).mime, 'image/jpeg');
    const why = refused(new TextEncoder().encode('just some notes\n'), 'notes.png');
    assert.equal(why, 'notes.png is not an image (PNG, JPEG, GIF or WebP)');
  });

  for (const [name] of FIXTURES.filter(([n]) => !n.endsWith('.gif')))
    it(`refuses ${name} cut short at any length`, () => {
      const full = read(name);
      for (let n = 1; n < full.length - 1; n += Math.max(1, Math.floor(full.length / 97))) {
        const why = refused(full.subarray(0, n), name);
        assert.match(why, new RegExp(`^${name.replace('.', '\\.')} (starts like a|is not an image)`), `${n}: ${why}`);
        assert.ok(!why.includes('\n'), 'one line');
      }
    });

  it('refuses a GIF cut before its first whole frame, and accepts one whose trailer alone is missing', () => {
    const full = read('tiny.gif');
    for (let n = 6; n < full.length - 1; n++)
      assert.match(refused(full.subarray(0, n), 'tiny.gif'), /tiny\.gif starts like a GIF/);
    assert.equal(checkImage(full.subarray(0, full.length - 1)).ok, true);
  });

  it('refuses a PNG whose data was changed (CRC), and one without image data', () => {
    const png = read('shot.png').slice();
    png[50] = png[50]! ^ 0xff;
    assert.match(
      refused(png, 'shot.png'),
      /shot\.png starts like a PNG but cannot be read as one: chunk IDAT fails its CRC check/,
    );
    // Signature, IHDR, then IEND straight away.
    const full = read('shot.png');
    const ihdrEnd = 8 + 12 + 13;
    const noData = new Uint8Array([...full.subarray(0, ihdrEnd), ...full.subarray(full.length - 12)]);
    assert.match(refused(noData), /no image data/);
  });

  it('refuses a WebP whose RIFF header claims more than the file holds', () => {
    const webp = read('lossy.webp').slice();
    new DataView(webp.buffer).setUint32(4, webp.length * 2, true);
    assert.match(refused(webp, 'a.webp'), /a\.webp starts like a WebP but cannot be read as one: .*cut short/);
  });

  it('refuses SVG (it is code) with or without an XML prolog, and names other formats', () => {
    const svg = (s: string) => new TextEncoder().encode(s);
    for (const text of [
      '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
      '\ufeff  <?xml version="1.0"?>\n<!DOCTYPE svg>\n<svg width="10"></svg>',
    ])
      assert.match(refused(svg(text), 'logo.svg'), /^logo\.svg is an SVG: SVG is not accepted, it is code/);
    assert.equal(refused(new Uint8Array([0x42, 0x4d, 1, 2, 3, 4]), 'a.bmp'), 'a.bmp is a BMP image');
    const heic = new Uint8Array(16);
    heic.set(new TextEncoder().encode('ftypheic'), 4);
    assert.equal(refused(heic, 'IMG_1.HEIC'), 'IMG_1.HEIC is a HEIC image');
    assert.equal(refused(new Uint8Array(), 'e.png'), 'e.png is empty');
  });

  it('refuses a header that gives a zero size', () => {
    const gif = read('tiny.gif').slice();
    gif[6] = 0; // width 0
    assert.match(refused(gif), /size of 0×1/);
  });

  it('states the limits in one sentence and checks them', () => {
    assert.equal(
      LIMITS_TEXT,
      'Up to 4 images a question (PNG, JPEG, GIF or WebP), 5 MiB each and 30 MiB in a conversation; SVG is not ' +
        'accepted.',
    );
    const L = IMAGE_LIMITS;
    // 30 MiB of images as base64 plus the 8 MiB kept for the repository and the turns stay under the 48 MiB body limit.
    assert.ok((L.bytesPerConversation * 4) / 3 + 8 * 1024 * 1024 <= L.requestBodyBytes);
    assert.ok(L.perQuestion * L.bytesPerImage <= L.bytesPerConversation);
    assert.equal(imageLimitProblem([{ bytes: L.bytesPerImage }]), undefined);
    assert.match(
      imageLimitProblem([{ bytes: L.bytesPerImage + 1, name: 'big.png' }])!,
      /^big\.png is 5\.00 MiB; the limit is 5 MiB an image/,
    );
    assert.match(imageLimitProblem(Array(5).fill({ bytes: 10 }))!, /at most 4 images \(this one has 5\)/);
    assert.match(
      imageLimitProblem([{ bytes: 4 * 1024 * 1024 }], 27 * 1024 * 1024)!,
      /would come to 31 MiB, over the 30 MiB/,
    );
  });

  it('reads only whole, well-formed references and data URLs', () => {
    const sha = 'a'.repeat(64);
    assert.deepEqual(imageRefOf({ sha256: sha, mime: 'image/png', bytes: 3, width: 1, height: 2, extra: 1 }), {
      sha256: sha,
      mime: 'image/png',
      bytes: 3,
      width: 1,
      height: 2,
    });
    for (const bad of [
      { sha256: 'x', mime: 'image/png', bytes: 3, width: 1, height: 1 },
      { sha256: sha, mime: 'image/svg+xml', bytes: 3, width: 1, height: 1 },
      { sha256: sha, mime: 'image/png', bytes: 0, width: 1, height: 1 },
      null,
    ])
      assert.equal(imageRefOf(bad), undefined);
    assert.deepEqual(parseDataUrl('data:image/png;base64,iVBO'), { mime: 'image/png', base64: 'iVBO' });
    assert.equal(parseDataUrl('data:image/svg+xml;base64,PHN2Zz4='), undefined);
    assert.equal(parseDataUrl('https://example.com/a.png'), undefined);
  });
});
