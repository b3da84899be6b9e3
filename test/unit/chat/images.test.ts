// Images in a conversation, end to end against the real client and the fake DeepSeek server: content parts
// after the repository and the turns, byte for byte; re-sent identically on every follow-up so the cache
// keeps hitting; counted in the estimate; and every bad input refused with one line before anything is sent.
import * as assert from 'node:assert/strict';
import { MemoryConversationLog } from '../../../src/chat/history';
import { ImageError } from '../../../src/chat/imageStore';
import { ChatSession } from '../../../src/chat/session';
import { ConversationStateError } from '../../../src/chat/conversation';
import { imageUrlsOf, textOf } from '../../fake-server/vision';
import { FLASH, PNG, JPEG, bigPng, rig, events, lastUser, decoded, closeServersAfterEach } from './imagesKit';

describe('images in a conversation', function () {
  closeServersAfterEach();

  it(
    'sends a question with images as text then image_url parts, after the repository and the turns, byte for ' + 'byte',
    async () => {
      const r = await rig();
      const s = r.session();
      await s.ask('First question, no picture.', {}, () => {});
      const end = await s.ask(
        'Which component renders this?',
        { images: [{ bytes: PNG, name: 'shot.png' }, { bytes: JPEG }] },
        () => {},
      );
      assert.equal(end.outcome, 'complete');
      const body = r.bodies().at(-1)!;
      assert.deepEqual(
        body.messages.map((m) => [m.role, Array.isArray(m.content) ? 'parts' : 'text']),
        [
          ['system', 'text'],
          ['user', 'text'],
          ['assistant', 'text'],
          ['user', 'text'],
          ['assistant', 'text'],
          ['user', 'parts'],
        ],
      );
      const parts = lastUser(body).content as unknown as {
        type: string;
        text?: string;
        image_url?: { url: string };
      }[];
      assert.deepEqual(
        parts.map((p) => p.type),
        ['text', 'image_url', 'image_url'],
      );
      assert.equal(parts[0]!.text, 'Which component renders this?');
      const [png, jpeg] = imageUrlsOf(parts);
      assert.match(png!, /^data:image\/png;base64,/);
      assert.match(jpeg!, /^data:image\/jpeg;base64,/);
      assert.deepEqual(decoded(png!), PNG);
      assert.deepEqual(decoded(jpeg!), JPEG);
      assert.match(textOf(r.server.chatRequests().at(-1)!.body!.messages.at(-1)!.content), /./);
    },
  );

  it('re-sends the images with their turn, identically, on every follow-up, and the cache keeps hitting', async () => {
    const r = await rig();
    const s = r.session();
    await s.ask('What is wrong with this layout?', { images: [{ bytes: PNG, name: 'shot.png' }] }, () => {});
    const c = events();
    await s.ask('And how do I fix it?', {}, c.on);
    await s.ask('Compare with this one.', { images: [{ bytes: JPEG, name: 'photo.jpg' }] }, () => {});
    await s.ask('Thanks; anything else?', {}, () => {});
    const bodies = r.bodies().filter((b) => b.max_tokens !== 1);
    assert.equal(bodies.length, 4);
    const firstQuestion = JSON.stringify(bodies[0]!.messages.at(-1));
    for (const b of bodies.slice(1))
      assert.equal(JSON.stringify(b.messages[3]), firstQuestion, 'turn 1 re-sent as it was');
    assert.equal(JSON.stringify(bodies[3]!.messages[7]), JSON.stringify(bodies[2]!.messages.at(-1)));
    // Each follow-up hits everything the previous request sent (its input and its answer).
    const billed = r.cache.billed.filter((b) => b.outputTokens > 1 || b.promptTokens > 0).slice(-4);
    for (let i = 1; i < billed.length; i++)
      assert.ok(
        billed[i]!.hitTokens >= billed[i - 1]!.promptTokens,
        `request ${i + 1}: hit ${billed[i]!.hitTokens} of ${billed[i]!.promptTokens}, previous input ` +
          `${billed[i - 1]!.promptTokens}`,
      );
    const usage = c.all.find((e) => e.type === 'usage')!;
    assert.ok(usage.usage.cacheHitTokens / usage.usage.promptTokens > 0.9);
    // The prediction knew it: the context event predicted the hits the server billed.
    const ctx = c.all.find((e) => e.type === 'context')!;
    assert.equal(ctx.estimate.predictedHitTokens > 0.9 * ctx.estimate.promptTokens, true);
  });

  it('counts about 384 tokens an image in the estimate shown before sending', async () => {
    const r = await rig();
    const s = r.session();
    const without = await s.estimate('Explain this diagram.');
    const two = await s.estimate('Explain this diagram.', { images: [{ bytes: PNG }, { bytes: JPEG }] });
    assert.equal(two.estimate.promptTokens - without.estimate.promptTokens, 2 * 384);
    assert.equal(r.bodies().length, 0, 'an estimate sends nothing');
  });

  it('refuses what is not an image, or breaks a limit, with one line and sends nothing', async () => {
    const r = await rig();
    const s = r.session();
    const refuse = async (images: Parameters<ChatSession['ask']>[1]['images'], pattern: RegExp) => {
      await assert.rejects(
        s.ask('Look.', { images }, () => {}),
        (e: Error) => {
          assert.ok(e instanceof ImageError && e instanceof ConversationStateError);
          assert.match(e.message, pattern);
          assert.ok(!e.message.includes('\n'));
          return true;
        },
      );
    };
    await refuse(
      [{ bytes: new TextEncoder().encode('not a picture'), name: 'notes.png' }],
      /^notes\.png is not an image/,
    );
    await refuse(
      [{ bytes: PNG.subarray(0, 100), name: 'cut.png' }],
      /^cut\.png starts like a PNG but cannot be read as one/,
    );
    await refuse(
      [{ bytes: new TextEncoder().encode('<svg><script/></svg>'), name: 'x.svg' }],
      /^x\.svg is an SVG: SVG is not accepted/,
    );
    await refuse(Array(5).fill({ bytes: PNG }), /at most 4 images/);
    await refuse(
      [{ bytes: bigPng(5 * 1024 * 1024 + 1), name: 'huge.png' }],
      /^huge\.png is 5\.00 MiB; the limit is 5 MiB/,
    );
    assert.equal(r.bodies().length, 0);

    // Four images at the very limit go with one question (estimated here: the sending is the same code).
    const limit = (i: number) => ({ bytes: bigPng(5 * 1024 * 1024, i) });
    const full = await s.estimate('Four.', { images: [limit(1), limit(2), limit(3), limit(4)] });
    assert.equal(full.estimate.promptTokens - (await s.estimate('Four.')).estimate.promptTokens, 4 * 384);

    // The conversation's total: with 27 MiB of images in its history, 4 MiB more is refused before anything.
    const log = new MemoryConversationLog();
    const header = {
      type: 'conversation' as const,
      v: 1,
      id: 'c1',
      at: 0,
      params: FLASH,
      endpoint: '',
      workspace: '',
      title: 't',
    };
    log.append(header);
    for (let turn = 0; turn < 3; turn++) {
      const ref = {
        sha256: String(turn).repeat(64),
        mime: 'image/png' as const,
        bytes: 9 * 1024 * 1024,
        width: 9,
        height: 9,
      };
      log.append({ type: 'question', at: turn, turn, text: `q${turn}`, images: [ref] });
      log.append({ type: 'answer', turn, text: 'a' });
      log.append({ type: 'end', at: turn, turn, outcome: 'complete', finishReason: 'stop' });
    }
    const { session: heavy } = ChatSession.open(r.ports, log);
    await assert.rejects(
      heavy.ask('One more.', { images: [{ bytes: bigPng(4 * 1024 * 1024) }] }, () => {}),
      (e: Error) =>
        e instanceof ImageError &&
        e.message.startsWith(
          'The images of this conversation would come to 31 MiB, over the 30 MiB a ' + 'conversation may carry',
        ),
    );
    assert.equal(r.bodies().length, 0);
  });
});
