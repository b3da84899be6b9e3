// SEARCH/REPLACE edits in answers: shown as a compact coloured diff with the file
// name, never as raw markers, wrapped at the sidebar's width, streamed without flicker; Copy and
// Apply still get the edits exactly as the model wrote them.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { CONFIG, clearPosted, frame, host, posted, startFirstTurn } from './appDriver';
import { appPage } from './appPage';

const EDITS = [
  '<<<<<<< SEARCH',
  'from . import json as json',
  '=======',
  '"""Flask: a lightweight WSGI web application framework, with a deliberately long docstring line."""',
  'from . import json as json',
  '>>>>>>> REPLACE',
  '<<<<<<< SEARCH',
  'def hello():',
  '    return "hi"',
  '=======',
  'def hello() -> str:',
  '    return "hi"',
  '>>>>>>> REPLACE',
  '',
].join('\n');
const ANSWER = `Here is the change:\n\n\`\`\`python path=src/flask/__init__.py\n${EDITS}\`\`\`\n\nThat is all.`;
const MARKERS = /<{5,}|={5,}|>{5,}/;

/** What the diff shows, line by line: kind and text. */
function diffRows(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('.answer .edit-line')].map(
      (l) => `${[...l.classList].find((c) => c !== 'edit-line')} ${l.innerText}`,
    ),
  );
}

describe('SEARCH/REPLACE edits in answers', function () {
  const app = appPage();
  let page: Page;

  it('shows a finished block as a coloured diff with the file name; Copy and Apply get the raw edits', async () => {
    page = await app.open({ theme: 'light' });
    await host(
      page,
      { type: 'init', surface: 'panel', config: CONFIG },
      {
        type: 'replay',
        conversation: {
          title: 't',
          turns: [{ question: 'q', answer: ANSWER, reasoning: '', outcome: 'complete' }],
        },
      },
    );
    const block = page.locator('.answer .code-block');
    assert.doesNotMatch(await block.innerText(), MARKERS, 'no marker is shown');
    assert.equal(await block.locator('.code-label').textContent(), 'src/flask/__init__.py');
    assert.equal(await block.locator('.code-base').textContent(), '__init__.py');
    assert.deepEqual(await diffRows(page), [
      'edit-add """Flask: a lightweight WSGI web application framework, with a deliberately long docstring line."""',
      'edit-ctx from . import json as json',
      'edit-del def hello():',
      'edit-add def hello() -> str:',
      'edit-ctx     return "hi"',
    ]);
    assert.equal(await block.locator('.edit-stats [aria-hidden]').textContent(), '+2 −1');
    assert.equal(await block.locator('.edit-stats .sr-only').textContent(), '2 edits: 2 lines added, 1 removed');
    // Highlighted as Python, in the diff editor's colours from the theme.
    assert.ok((await block.locator('.edit-add .hljs-keyword').count()) > 0, 'highlighted');
    const colours = await page.evaluate(() => {
      const bg = (sel: string) => getComputedStyle(document.querySelector(sel)!).backgroundColor;
      const probe = document.createElement('div');
      document.body.append(probe);
      const resolve = (v: string) => {
        probe.style.backgroundColor = `var(${v})`;
        return getComputedStyle(probe).backgroundColor;
      };
      return {
        add: bg('.edit-add'),
        del: bg('.edit-del'),
        inserted: resolve('--vscode-diffEditor-insertedLineBackground'),
        removed: resolve('--vscode-diffEditor-removedLineBackground'),
      };
    });
    assert.equal(colours.add, colours.inserted);
    assert.equal(colours.del, colours.removed);
    assert.notEqual(colours.add, colours.del);
    // The signs are drawn, and read out, by CSS: the lines' text is the code alone.
    assert.equal(
      await block
        .locator('.edit-del')
        .first()
        .evaluate((e) => getComputedStyle(e, '::before').content),
      '"−" / "removed"',
    );
    await clearPosted(page);
    await block.getByRole('button', { name: 'Copy', exact: true }).click();
    await block.getByRole('button', { name: 'Apply Edits to src/flask/__init__.py…', exact: true }).click();
    assert.deepEqual(await posted(page), [
      { type: 'copy', text: EDITS },
      { type: 'applyCode', code: EDITS, path: 'src/flask/__init__.py', language: 'python', turn: 0 },
    ]);
  });

  it('wraps long lines at the sidebar width, under the text, never under the sign', async () => {
    page = await app.open({ theme: 'dark', surface: 'sidebar', width: 300 });
    await host(
      page,
      { type: 'init', surface: 'sidebar', config: CONFIG },
      {
        type: 'replay',
        conversation: { title: 't', turns: [{ question: 'q', answer: ANSWER, reasoning: '', outcome: 'complete' }] },
      },
    );
    const m = await page.evaluate(() => {
      const diff = document.querySelector<HTMLElement>('.edit-diff')!;
      const long = document.querySelector<HTMLElement>('.edit-add')!;
      const short = document.querySelector<HTMLElement>('.edit-ctx')!;
      const range = document.createRange();
      range.selectNodeContents(long);
      const rects = [...range.getClientRects()];
      return {
        overflow: diff.scrollWidth - diff.clientWidth,
        longHeight: long.getBoundingClientRect().height,
        shortHeight: short.getBoundingClientRect().height,
        textLeft: Math.min(...rects.map((r) => r.left)),
        lineLeft: long.getBoundingClientRect().left,
        header:
          document.querySelector<HTMLElement>('.code-header')!.scrollWidth -
          document.querySelector<HTMLElement>('.code-header')!.clientWidth,
        base:
          document.querySelector<HTMLElement>('.code-base')!.scrollWidth -
          document.querySelector<HTMLElement>('.code-base')!.clientWidth,
      };
    });
    assert.ok(m.overflow <= 0, `the diff scrolls sideways by ${m.overflow}px`);
    assert.ok(m.longHeight >= 2 * m.shortHeight, 'the long line wraps');
    assert.ok(m.textLeft > m.lineLeft + 8, 'wrapped text starts right of the sign column');
    assert.ok(m.header <= 0, 'the header fits');
    assert.equal(m.base, 0, 'the file name is not cut');
  });

  it('streams without showing a marker, in one block whose header never moves, then settles', async () => {
    page = await app.open({ theme: 'dark', surface: 'sidebar', width: 360 });
    await startFirstTurn(page, { surface: 'sidebar', requestId: 's', question: 'Add a docstring' });
    const steps: { text: string; same: boolean | null; header: number | null; label: string | null }[] = [];
    for (let i = 0; i < ANSWER.length; i += 3) {
      await host(page, { type: 'contentDelta', requestId: 's', text: ANSWER.slice(i, i + 3) });
      steps.push(
        await page.evaluate(() => {
          const block = document.querySelector<HTMLElement>('.md-tail .code-block');
          const w = window as unknown as { __block?: HTMLElement };
          const same = block ? (w.__block ??= block) === block : null;
          return {
            text: document.querySelector<HTMLElement>('.answer')!.innerText,
            same,
            header: block ? block.querySelector<HTMLElement>('.code-header')!.getBoundingClientRect().height : null,
            label: block?.querySelector('.code-label')?.textContent ?? null,
          };
        }),
      );
    }
    for (const [n, s] of steps.entries()) assert.doesNotMatch(s.text, MARKERS, `step ${n} shows a marker:\n${s.text}`);
    const open = steps.filter((s) => s.same !== null);
    assert.ok(open.length > 20, 'the open block was seen while it streamed');
    assert.ok(
      open.every((s) => s.same),
      'the open block was replaced while it streamed',
    );
    assert.ok(
      open.every((s) => s.label === 'src/flask/__init__.py'),
      'the file name shows from the start',
    );
    // While streaming, the first edit's lines arrive as removed, then added; once its REPLACE marker
    // came, it shows as a diff, and the text shown before never changes except for that settling.
    assert.ok(steps.some((s) => s.text.includes('from . import json as json') && !s.text.includes('Flask:')));
    await host(page, { type: 'end', requestId: 's', outcome: 'complete' });
    const frozenHeader = await page.locator('.answer .code-header').evaluate((e) => e.getBoundingClientRect().height);
    assert.ok(
      open.every((s) => Math.abs(s.header! - frozenHeader) < 0.5),
      `header heights ${[...new Set(open.map((s) => s.header))].join(', ')} while streaming, ${frozenHeader} after`,
    );
    assert.equal(await page.locator('.answer .code-block').count(), 1);
    assert.equal((await diffRows(page)).length, 5);
    assert.match(await page.locator('.answer').innerText(), /That is all\./);
  });

  it('keeps a block that only looks like edits later as code, and marks an edit left open', async () => {
    page = await app.open();
    const open = '```ts path=src/a.ts\n<<<<<<< SEARCH\nconst a = 1;\n=======\nconst a = 2;\n```\n';
    const comment = '```ts\n// the markers are:\n<<<<<<< SEARCH\n```\n';
    await host(
      page,
      { type: 'init', surface: 'panel', config: CONFIG },
      {
        type: 'replay',
        conversation: {
          title: 't',
          turns: [{ question: 'q', answer: `${open}\n${comment}`, reasoning: '', outcome: 'complete' }],
        },
      },
    );
    const [a, b] = [page.locator('.code-block').nth(0), page.locator('.code-block').nth(1)];
    assert.match(await a.locator('.edit-hunk.edit-open').innerText(), /not closed: Apply will refuse it/);
    assert.deepEqual(
      (await diffRows(page)).slice(0, 2),
      ['edit-del const a = 1;', 'edit-add const a = 2;'],
      'the open edit shows its lines as they came',
    );
    // A block whose first line is not a marker is still read as edits once finished (Apply treats it so).
    assert.equal(await b.locator('.edit-diff').count(), 1);
    assert.equal(await b.locator('.edit-note').first().innerText(), '// the markers are:');
    await frame(page);
  });
});
