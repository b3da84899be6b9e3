// `deepseek-repo ask --image FILE`, as a real process against the fake server (which takes images only
// on DeepSeek's vision models): the image reaches the server byte for byte after the repository, a
// follow-up re-sends it unchanged and hits the cache, its bytes live beside the conversation file, and
// every file that cannot go (missing, not an image, cut short, SVG, over the limit) exits 2 with one
// line and sends nothing.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CacheModel, cacheAwareReply } from '../../fake-server/cacheModel';
import { startFakeDeepSeek, type FakeServer } from '../../fake-server/server';
import { imageUrlsOf } from '../../fake-server/vision';
import { REPO, requireBuiltCli } from '../../helpers/paths';
import { runCli } from '../../helpers/runCli';

const FIXTURES = path.join(REPO, 'test/fixtures/images');

describe('CLI ask --image', function () {
  this.timeout(120_000); // several CLI runs per test on a shared machine
  let tmp: string;
  let repo: string;
  let server: FakeServer;
  let cache: CacheModel;
  const run = (args: string[], key = 'sk-test-key-123') =>
    runCli(['ask', ...args], {
      env: { DEEPSEEK_API_KEY: key, DEEPSEEK_BASE_URL: server.url, DEEPSEEK_REPO_CACHE_DIR: path.join(tmp, 'cache') },
    });
  const fixture = (name: string) => path.join(FIXTURES, name);

  beforeEach(async () => {
    requireBuiltCli();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dsr-cli-images-'));
    repo = path.join(tmp, 'repo');
    fs.mkdirSync(path.join(repo, 'src'), { recursive: true });
    for (let i = 0; i < 6; i++)
      fs.writeFileSync(path.join(repo, 'src', `v${i}.ts`), `export const view${i} = () => ${i};\n`.repeat(60));
    cache = new CacheModel();
    server = await startFakeDeepSeek({
      byHostName: true,
      billing: (b, o) => cache.bill(b, o),
      scenario: cacheAwareReply,
    });
  });
  afterEach(async () => {
    await server.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it(
    'sends each image byte for byte after the repository, asks the vision model, and replays it on a ' + 'follow-up',
    async () => {
      const conv = path.join(tmp, 'c.jsonl');
      const png = fs.readFileSync(fixture('shot.png'));
      const jpg = fs.readFileSync(fixture('photo.jpg'));
      const args = ['--dir', repo, '--conversation', conv, '--json'];
      const first = await run([
        'Which view renders this?',
        ...args,
        '--image',
        fixture('shot.png'),
        '--image',
        fixture('photo.jpg'),
      ]);
      assert.equal(first.code, 0, first.stderr);
      assert.deepEqual(first.events[0]!.images, { count: 2, tokens: 768 });
      const body = server.chatRequests().at(-1)!.body!;
      assert.equal(body.model, 'deepseek-flash', 'no --model: the model that reads images');
      const last = body.messages.at(-1)!;
      assert.deepEqual(imageUrlsOf(last.content), [
        `data:image/png;base64,${png.toString('base64')}`,
        `data:image/jpeg;base64,${jpg.toString('base64')}`,
      ]);
      assert.ok(
        body.messages.findIndex((m) => typeof m.content === 'string' && m.content.includes('<repository')) <
          body.messages.length - 1,
        'the repository block comes before the question with its images',
      );
      // The bytes are files beside the conversation; the history names them by hash, no base64 inside.
      const stored = fs.readdirSync(`${conv}.images`).sort();
      assert.equal(stored.length, 2);
      assert.ok(
        stored.every((n) => /^[0-9a-f]{64}\.(png|jpg)$/.test(n)),
        stored.join(),
      );
      assert.ok(!fs.readFileSync(conv, 'utf8').includes(png.toString('base64').slice(0, 40)));

      const second = await run(['And the button?', ...args]);
      assert.equal(second.code, 0, second.stderr);
      const again = server.chatRequests().at(-1)!.body!;
      const firstTurn = again.messages.find((m) => imageUrlsOf(m.content).length)!;
      assert.deepEqual(firstTurn, last, 'the earlier question goes again byte for byte, images included');
      const usage = second.events.find((e) => e.type === 'usage')!;
      assert.ok((usage.cacheHitTokens as number) / (usage.promptTokens as number) > 0.9, JSON.stringify(usage));
    },
  );

  it(
    'exits 2 with one line and sends nothing for a file that is missing, not an image, cut short, or ' + 'SVG',
    async () => {
      const text = path.join(tmp, 'notes.png');
      fs.writeFileSync(text, 'just some text, named like a picture\n');
      const cut = path.join(tmp, 'cut.png');
      const png = fs.readFileSync(fixture('shot.png'));
      fs.writeFileSync(cut, png.subarray(0, png.length - 20));
      const svg = path.join(tmp, 'logo.png');
      fs.writeFileSync(svg, '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
      const cases: [string, RegExp][] = [
        [path.join(tmp, 'gone.png'), /^cannot read \S*gone\.png: no such file or directory$/],
        [text, /^notes\.png is not an image \(PNG, JPEG, GIF or WebP\)$/],
        [cut, /^cut\.png starts like a PNG but cannot be read as one: .+$/],
        [svg, /^logo\.png is an SVG: SVG is not accepted.+$/],
      ];
      for (const [file, line] of cases) {
        const r = await run(['What is this?', '--dir', repo, '--image', file]);
        assert.equal(r.code, 2, r.stderr);
        const lines = r.stderr.trim().split('\n');
        assert.equal(lines.length, 1, r.stderr);
        assert.match(lines[0]!.replace(/^deepseek-repo ask: /, ''), line);
      }
      assert.equal(server.requests.length, 0);
    },
  );

  it('a model that cannot read images: nothing is sent, one line names the model that can, exit 2', async () => {
    const r = await run(['What is this?', '--dir', repo, '--model', 'deepseek-v4-pro', '--image', fixture('shot.png')]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^error: deepseek-v4-pro cannot read images: nothing was sent\. .*--model deepseek-flash/m);
    assert.equal(server.chatRequests().length, 0);
  });

  it('without a key, the dry run of a question with images to a model that cannot read them says so', async () => {
    const r = await run(
      ['What is this?', '--dir', repo, '--model', 'deepseek-v4-pro', '--image', fixture('shot.png')],
      '',
    );
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /\nnote: deepseek-v4-pro cannot read images: with a key, nothing would be sent \(--model deepseek-flash/,
    );
    const flash = await run(['What is this?', '--dir', repo, '--image', fixture('shot.png')], '');
    assert.doesNotMatch(flash.stderr, /cannot read images/);
  });

  it('without a key the dry run counts ~384 tokens an image and sends nothing', async () => {
    const plain = await run(['What is this?', '--dir', repo, '--json'], '');
    const withImage = await run(['What is this?', '--dir', repo, '--json', '--image', fixture('tiny.gif')], '');
    assert.equal(withImage.code, 2);
    const [a, b] = [plain.events[0]!, withImage.events[0]!];
    assert.deepEqual(b.images, { count: 1, tokens: 384 });
    const [before, after] = [a.promptTokens as number, b.promptTokens as number];
    assert.ok(after - before >= 384, `${before} → ${after}`);
    assert.equal(server.requests.length, 0);
  });
});
