// Images in a conversation, end to end against the real client and the fake DeepSeek server (which
// takes images only on vision models and bills them in its cache model): content parts after the
// repository and the turns, byte for byte; re-sent identically on every follow-up so the cache keeps
// hitting; kept beside the history by hash (never base64 in the JSONL) through reload, export and
// delete; the model's ability to read them known before sending or recognised in a refusal; and
// every bad input refused with one line before anything is sent.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { CachePlan } from '../../../src/chat/cachePlan';
import { turnsOf, type HistoryEvent } from '../../../src/chat/conversation';
import { replay } from '../../../src/chat/replay';
import { HistoryStore, MemoryConversationLog } from '../../../src/chat/history';
import { ImageError, MemoryImageStore } from '../../../src/chat/imageStore';
import { MemoryPlanStore } from '../../../src/chat/planStore';
import type { ImagesOffer } from '../../../src/chat/questionImages';
import { ChatService } from '../../../src/chat/service';
import { ChatSession } from '../../../src/chat/session';
import { ConversationStateError, type SessionEvent, type SessionPorts } from '../../../src/chat/sessionTypes';
import { streamChat } from '../../../src/llm/client';
import type { RequestParams } from '../../../src/llm/types';
import { CacheModel, cacheAwareReply } from '../../fake-server/cacheModel';
import { startFakeDeepSeek, type ChatBody, type FakeServer } from '../../fake-server/server';
import { imageUrlsOf, textOf } from '../../fake-server/vision';
import { MemoryRepo, syntheticRepo } from '../../fakes/memoryRepo';
import { REPO } from '../../helpers/paths';

const FLASH: RequestParams = { model: 'deepseek-flash', maxTokens: 8192, thinking: true, reasoningEffort: 'high' };
const PRO: RequestParams = { ...FLASH, model: 'deepseek-v4-pro' };
const fixture = (name: string) => new Uint8Array(fs.readFileSync(path.join(REPO, 'test/fixtures/images', name)));
const PNG = fixture('shot.png');
const JPEG = fixture('photo.jpg');
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** A structurally whole PNG of about `bytes` bytes: shot.png with a text chunk of filler before its data. */
function bigPng(bytes: number, seed = 0): Uint8Array {
  const text = Buffer.alloc(Math.max(0, bytes - PNG.length - 12), 0x41 + (seed % 26));
  const chunk = Buffer.alloc(12 + text.length);
  chunk.writeUInt32BE(text.length, 0);
  chunk.write('tEXt', 4, 'latin1');
  text.copy(chunk, 8);
  chunk.writeUInt32BE(zlib.crc32(chunk.subarray(4, 8 + text.length)), 8 + text.length);
  const ihdrEnd = 8 + 12 + 13;
  return new Uint8Array(Buffer.concat([PNG.subarray(0, ihdrEnd), chunk, PNG.subarray(ihdrEnd)]));
}

interface Rig {
  server: FakeServer;
  cache: CacheModel;
  ports: SessionPorts;
  bodies(): ChatBody[];
  session(params?: RequestParams, log?: MemoryConversationLog): ChatSession;
}

const servers: FakeServer[] = [];
async function rig(options: { ports?: Partial<SessionPorts>; visionModels?: string[] } = {}): Promise<Rig> {
  const cache = new CacheModel();
  const server = await startFakeDeepSeek({
    billing: (b, o) => cache.bill(b, o),
    scenario: cacheAwareReply,
    ...(options.visionModels ? { visionModels: options.visionModels } : {}),
  });
  servers.push(server);
  const now = Date.UTC(2026, 10, 4, 12);
  const ports: SessionPorts = {
    client: () => ({ baseUrl: server.url, apiKey: 'sk-test-key-123' }),
    streamChat,
    context: new MemoryRepo(syntheticRepo(12, 30_000)),
    plan: new CachePlan(new MemoryPlanStore(), () => now),
    clock: () => now,
    images: new MemoryImageStore(),
    visionModel: 'deepseek-flash',
    ...options.ports,
  };
  return {
    server,
    cache,
    ports,
    bodies: () => server.chatRequests().map((q) => q.body!),
    session: (params = FLASH, log = new MemoryConversationLog()) => ChatSession.create(ports, log, params),
  };
}

const events = () => {
  const all: SessionEvent[] = [];
  return { all, on: (e: SessionEvent) => all.push(e) };
};
const lastUser = (b: ChatBody) => b.messages.filter((m) => m.role === 'user').at(-1)!;
const decoded = (url: string) => new Uint8Array(Buffer.from(url.split(',')[1]!, 'base64'));

describe('images in a conversation', function () {
  this.timeout(30_000);
  afterEach(async () => {
    while (servers.length) await servers.pop()!.close();
  });

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

  it(
    'keeps images beside the history by hash (never base64 in the JSONL), through reload, export and ' + 'delete',
    async () => {
      const r = await rig();
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsr-images-'));
      try {
        const service = new ChatService(
          () => r.ports,
          new HistoryStore(dir),
          () => FLASH,
        );
        const a = service.start();
        await a.ask('Why does this break?', { images: [{ bytes: PNG, name: 'shot.png' }] }, () => {});
        const b = service.start();
        await b.ask(
          'Same screenshot, other question.',
          { images: [{ bytes: PNG, name: 'again.png' }, { bytes: JPEG }] },
          () => {},
        );
        const stored = path.join(dir, 'images', `${sha(PNG)}.png`);
        assert.deepEqual(new Uint8Array(fs.readFileSync(stored)), PNG);
        assert.ok(fs.existsSync(path.join(dir, 'images', `${sha(JPEG)}.jpg`)));
        const jsonl = fs.readFileSync(path.join(dir, `${a.id}.jsonl`), 'utf8');
        assert.ok(jsonl.includes(sha(PNG)));
        assert.ok(!jsonl.includes(Buffer.from(PNG).toString('base64').slice(0, 40)), 'no base64 in the history');

        // Reload: the follow-up re-sends the very same data URL.
        const before = r.bodies().at(-1)!;
        const { session: reopened } = service.open(b.id);
        assert.deepEqual(
          turnsOf(reopened.snapshot())[0]!.images!.map((i) => i.name),
          ['again.png', undefined],
        );
        await reopened.ask('Follow-up after a reload.', {}, () => {});
        assert.equal(JSON.stringify(r.bodies().at(-1)!.messages[3]), JSON.stringify(before.messages.at(-1)));

        // Export: one self-contained document, the images as data: URLs defined at the end.
        const md = service.exportMarkdown(b.id);
        assert.match(md, new RegExp(`!\\[again\\.png \\(16×12, 376 bytes\\)\\]\\[image-${sha(PNG).slice(0, 16)}\\]`));
        assert.ok(
          md.includes(`[image-${sha(PNG).slice(0, 16)}]: data:image/png;base64,${Buffer.from(PNG).toString('base64')}`),
        );
        assert.ok(md.includes(`[image-${sha(JPEG).slice(0, 16)}]: data:image/jpeg;base64,`));

        // Delete: the JPEG only b named goes; the PNG a still names stays until a goes too.
        service.delete(b.id);
        assert.ok(!fs.existsSync(path.join(dir, 'images', `${sha(JPEG)}.jpg`)));
        assert.ok(fs.existsSync(stored));
        service.delete(a.id);
        assert.ok(!fs.existsSync(stored));
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it('opens a history written before images existed, and says so when an image file is gone', async () => {
    const r = await rig();
    const log = new MemoryConversationLog();
    const s = r.session(FLASH, log);
    await s.ask('A screenshot question.', { images: [{ bytes: PNG }] }, () => {});
    const old = log.events.map((e) => (e.type === 'question' ? { ...e, images: undefined } : e)) as HistoryEvent[];
    const { state } = replay(old);
    assert.equal(turnsOf(state)[0]!.images, undefined);
    // The bytes are gone from the store: the next question is not sent, with one line saying why.
    const { session } = ChatSession.open({ ...r.ports, images: new MemoryImageStore() }, log);
    const sent = r.bodies().length;
    const c = events();
    const end = await session.ask('Follow-up.', {}, c.on);
    assert.equal(end.notSent, true);
    assert.match(
      end.error!.message,
      /^The image \([0-9a-f]{12}\) of this conversation is missing: .*Start a new chat\.$/,
    );
    assert.equal(r.bodies().length, sent);
  });

  it(
    'stops a question with images to a model that cannot read them before sending, offering the vision model ' +
      'or no images',
    async () => {
      const r = await rig();
      // Nobody to ask (the CLI): not sent, one line naming the way out.
      const end = await r.session(PRO).ask('What is this?', { images: [{ bytes: PNG }] }, () => {});
      assert.equal(end.notSent, true);
      assert.equal(end.error?.kind, 'images_unsupported');
      assert.equal(
        end.error?.message,
        'deepseek-v4-pro cannot read images: nothing was sent. Ask with a model that reads them (deepseek-flash; ' +
          'CLI: --model deepseek-flash), or without the images.',
      );
      assert.equal(r.bodies().length, 0);

      // A new conversation switched to the vision model runs on it from its header on.
      const offers: ImagesOffer[] = [];
      const log = new MemoryConversationLog();
      const s = r.session(PRO, log);
      const ok = await s.ask(
        'What is this?',
        {
          images: [{ bytes: PNG }],
          chooseForImages: async (o) => {
            offers.push(o);
            return 'switch';
          },
        },
        () => {},
      );
      assert.equal(ok.outcome, 'complete');
      assert.equal(offers[0]!.model, 'deepseek-v4-pro');
      assert.equal(offers[0]!.visionModel, 'deepseek-flash');
      assert.equal(offers[0]!.canDrop, true);
      assert.match(
        offers[0]!.message,
        /deepseek-v4-pro cannot read images, and this question carries 1 image \(376 bytes\)\. Ask it with deepseek-flash/,
      );
      assert.ok(r.bodies().every((b) => b.model === 'deepseek-flash'));
      assert.equal((log.events[0] as Extract<HistoryEvent, { type: 'conversation' }>).params.model, 'deepseek-flash');
      assert.equal(s.params.model, 'deepseek-flash');
    },
  );

  it(
    'switches a conversation in progress to the vision model from that question on, and says what it means for ' +
      'the cache',
    async () => {
      const r = await rig();
      const log = new MemoryConversationLog();
      const s = r.session(PRO, log);
      await s.ask('A question without images.', {}, () => {});
      let offer: ImagesOffer | undefined;
      await s.ask(
        'Now with a screenshot.',
        {
          images: [{ bytes: PNG }],
          chooseForImages: async (o) => {
            offer = o;
            return 'switch';
          },
        },
        () => {},
      );
      assert.match(offer!.message, /goes on with deepseek-flash from this question on\. Each model has its own cache/);
      assert.deepEqual(
        r.bodies().map((b) => b.model),
        ['deepseek-v4-pro', 'deepseek-v4-pro', 'deepseek-flash'],
      );
      const types = log.events.map((e) => e.type);
      assert.ok(types.indexOf('model') < types.lastIndexOf('question'));
      // Reloaded, the conversation is on flash; its next question goes there too.
      const { session } = ChatSession.open(r.ports, log);
      assert.equal(session.params.model, 'deepseek-flash');
      await session.ask('More?', {}, () => {});
      assert.equal(r.bodies().at(-1)!.model, 'deepseek-flash');
    },
  );

  it('sends the question without its images when the user chooses so, and nothing when the user declines', async () => {
    const r = await rig();
    const s = r.session(PRO);
    const dropped = await s.ask(
      'Describe it.',
      { images: [{ bytes: PNG }], chooseForImages: async () => 'drop' },
      () => {},
    );
    assert.equal(dropped.outcome, 'complete');
    const body = r.bodies().at(-1)!;
    assert.equal(body.model, 'deepseek-v4-pro');
    assert.equal(lastUser(body).content, 'Describe it.');
    assert.equal(turnsOf(s.snapshot())[0]!.images, undefined);
    const sent = r.bodies().length;
    const declined = await s.ask(
      'Again.',
      { images: [{ bytes: PNG }], chooseForImages: async () => undefined },
      () => {},
    );
    assert.deepEqual([declined.outcome, declined.notSent], ['cancelled', true]);
    assert.equal(r.bodies().length, sent);
  });

  it(
    'recognises a server refusing images for a model nobody knew about, offers the vision model, and knows it ' +
      'next time',
    async () => {
      const r = await rig({ visionModels: ['deepseek-flash'] });
      const model = `local-model-${Date.now()}`;
      const c = events();
      const refused = await r.session({ ...FLASH, model }).ask('Read this.', { images: [{ bytes: PNG }] }, c.on);
      assert.equal(refused.outcome, 'error');
      assert.equal(refused.error?.kind, 'images_unsupported');
      assert.match(
        refused.error.message,
        new RegExp(
          `^${model} cannot read images: .* refused them \\(400: .*image_url.*\\)\\. Ask this question with a ` +
            `model that reads images, or without the images\\.$`,
        ),
      );

      // Asked again with a chooser: the refusal is known before sending now, and the switch answers.
      const log = new MemoryConversationLog();
      const sent = r.bodies().length;
      let offer: ImagesOffer | undefined;
      const ok = await r
        .session({ ...FLASH, model }, log)
        .ask(
          'Read this.',
          { images: [{ bytes: PNG }], chooseForImages: async (o) => ((offer = o), 'switch') },
          () => {},
        );
      assert.equal(ok.outcome, 'complete');
      assert.equal(offer!.refused, false);
      assert.deepEqual(
        r
          .bodies()
          .slice(sent)
          .filter((b) => b.max_tokens !== 1)
          .map((b) => b.model),
        ['deepseek-flash'],
      );
    },
  );

  it('after a refusal in mid-conversation, asks the question again on the vision model in its place', async () => {
    const r = await rig({ visionModels: ['deepseek-flash'] });
    const model = `proxy-model-${Date.now()}`;
    const log = new MemoryConversationLog();
    const s = r.session({ ...FLASH, model }, log);
    await s.ask('Plain question.', {}, () => {});
    let offer: ImagesOffer | undefined;
    const end = await s.ask(
      'With a picture.',
      { images: [{ bytes: PNG }], chooseForImages: async (o) => ((offer = o), 'switch') },
      () => {},
    );
    assert.equal(end.outcome, 'complete');
    assert.equal(offer!.refused, true);
    assert.deepEqual(
      r
        .bodies()
        .filter((b) => b.max_tokens !== 1)
        .map((b) => b.model),
      [model, model, 'deepseek-flash'],
    );
    const turns = turnsOf(s.snapshot());
    assert.equal(turns.length, 2);
    assert.equal(turns[1]!.outcome, 'complete');
    assert.deepEqual(
      turns[1]!.images!.map((i) => i.sha256),
      [sha(PNG)],
    );
  });

  it('takes what the endpoint reports about a model over the data file', async () => {
    const sees = await rig({ ports: { modelVision: (m) => m === 'custom-vl' } });
    const ok = await sees
      .session({ ...FLASH, model: 'custom-vl' })
      .ask('Look.', { images: [{ bytes: PNG }] }, () => {});
    // The fake takes images only on DeepSeek's vision models, so the report was believed if the request went out.
    assert.equal(sees.bodies().length > 0, true);
    assert.equal(ok.error?.kind, 'images_unsupported');
    const blind = await rig({ ports: { modelVision: () => false } });
    const no = await blind.session(FLASH).ask('Look.', { images: [{ bytes: PNG }] }, () => {});
    assert.deepEqual([no.notSent, no.error?.kind], [true, 'images_unsupported']);
    assert.equal(blind.bodies().length, 0);
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
