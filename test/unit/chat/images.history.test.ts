// A conversation's images in its history: kept beside it by hash (never base64 in the JSONL) through
// reload, export and delete; a history from before images, or with an image file gone, still opens.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { turnsOf, type HistoryEvent } from '../../../src/chat/conversation';
import { replay } from '../../../src/chat/replay';
import { HistoryStore, MemoryConversationLog } from '../../../src/chat/history';
import { MemoryImageStore } from '../../../src/chat/imageStore';
import { ChatService } from '../../../src/chat/service';
import { ChatSession } from '../../../src/chat/session';
import { FLASH, PNG, JPEG, sha, rig, events, closeServersAfterEach } from './imagesKit';

describe('images in a conversation', function () {
  closeServersAfterEach();

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
});
