// The fake server's images, as DeepSeek treats them: only vision models take them (a 400 otherwise,
// the way DeepSeek refuses a content part it does not know), the format is read from the bytes, and
// an image renders to tokens of its own, the same every time, so the cache model matches it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CacheModel } from '../../fake-server/cacheModel';
import { startFakeDeepSeek, type ChatBody } from '../../fake-server/server';
import { IMAGE_TOKENS } from '../../fake-server/vision';
import { REPO } from '../../helpers/paths';

const png = fs.readFileSync(path.join(REPO, 'test/fixtures/images/shot.png')).toString('base64');
const jpg = fs.readFileSync(path.join(REPO, 'test/fixtures/images/photo.jpg')).toString('base64');
/** The `error.message` of an error response body. */
const errorMessage = (body: string) => (JSON.parse(body) as { error: { message: string } }).error.message;
const withImage = (model: string, url: string, text = 'What is this?'): ChatBody => ({
  model,
  messages: [
    { role: 'system', content: 'sys' },
    {
      role: 'user',
      content: [
        { type: 'text', text },
        { type: 'image_url', image_url: { url } },
      ] as unknown as string,
    },
  ],
  max_tokens: 100,
  stream: true,
});

describe('fake server: images', () => {
  it(
    'answers images on a vision model, refuses them on another model and refuses bytes that are no ' + 'image',
    async () => {
      const server = await startFakeDeepSeek();
      const post = (b: ChatBody) =>
        fetch(`${server.url}/chat/completions`, { method: 'POST', body: JSON.stringify(b) }).then(async (r) => ({
          status: r.status,
          text: await r.text(),
        }));
      try {
        const ok = await post(withImage('deepseek-flash', `data:image/png;base64,${png}`));
        assert.equal(ok.status, 200);
        assert.match(ok.text, /Images seen: image\/png 376 bytes/);
        const pro = await post(withImage('deepseek-v4-pro', `data:image/png;base64,${png}`));
        assert.equal(pro.status, 400);
        assert.match(errorMessage(pro.text), /messages\[1\]: unknown variant `image_url`, expected `text`/);
        const text = await post(
          withImage('deepseek-flash', `data:image/png;base64,${Buffer.from('hello').toString('base64')}`),
        );
        assert.equal(text.status, 400);
        assert.match(errorMessage(text.text), /Invalid image/);
      } finally {
        await server.close();
      }
    },
  );

  it('renders an image to its own tokens: the same image hits, another one misses from where it stands', () => {
    const m = new CacheModel();
    const a = m.bill(withImage('deepseek-flash', `data:image/png;base64,${png}`), { reasoning: '', content: 'x' });
    const again = m.bill(withImage('deepseek-flash', `data:image/png;base64,${png}`), { reasoning: '', content: 'x' });
    assert.equal(again.hitTokens, a.promptTokens);
    assert.ok(a.promptTokens > IMAGE_TOKENS);
    const other = m.bill(withImage('deepseek-flash', `data:image/jpeg;base64,${jpg}`), { reasoning: '', content: 'x' });
    assert.equal(
      other.hitTokens,
      0,
      'only a unit that fully matches hits; the common prefix before the image is no unit yet',
    );
    const third = m.bill(withImage('deepseek-flash', `data:image/jpeg;base64,${png}`), { reasoning: '', content: 'x' });
    assert.ok(third.hitTokens < third.promptTokens - IMAGE_TOKENS + 1, 'another URL is another image');
  });
});
