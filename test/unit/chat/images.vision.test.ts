// Whether the model can read images: known before sending (the user chooses the vision model, no images,
// or nothing), a conversation switched to the vision model, and a refusal recognised and remembered.
import * as assert from 'node:assert/strict';
import { turnsOf, type HistoryEvent } from '../../../src/chat/conversation';
import { MemoryConversationLog } from '../../../src/chat/history';
import type { ImagesOffer } from '../../../src/chat/questionImages';
import { ChatSession } from '../../../src/chat/session';
import { FLASH, PRO, PNG, sha, rig, events, lastUser, closeServersAfterEach } from './imagesKit';

describe('images in a conversation', function () {
  closeServersAfterEach();

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
});
