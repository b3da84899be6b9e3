// The composer's controls at the widths a side bar has: one row where they fit, and where they do not
// (VS Code's default side bar is 300 px) the pickers share a row of their own and Send keeps its row with the
// attach button and the mode switch, every control whole and inside the view.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { CONFIG, frame, host } from './appDriver';
import { appPage } from './appPage';

interface Box {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

const CONTROLS = {
  attach: '.composer-row > :first-child',
  mode: '.composer-row .mode-switch',
  model: 'select[aria-label="Model"]',
  effort: 'select[aria-label="Thinking effort"]',
  send: 'button.send',
} as const;

async function boxes(page: Page): Promise<Record<keyof typeof CONTROLS, Box>> {
  const out: Partial<Record<keyof typeof CONTROLS, Box>> = {};
  for (const [name, selector] of Object.entries(CONTROLS) as [keyof typeof CONTROLS, string][]) {
    const b = await page.locator(selector).boundingBox();
    assert.ok(b, `${name} is laid out`);
    out[name] = { top: b.y, bottom: b.y + b.height, left: b.x, right: b.x + b.width };
  }
  return out as Record<keyof typeof CONTROLS, Box>;
}

/** Two boxes share a row when each one's vertical middle lies within the other. */
function sameRow(a: Box, b: Box): boolean {
  const mid = (x: Box) => (x.top + x.bottom) / 2;
  return mid(a) > b.top && mid(a) < b.bottom && mid(b) > a.top && mid(b) < a.bottom;
}

/** How many pixels a select's chosen label needs and has (a cut label ends in an ellipsis). */
const labelFits = (page: Page, selector: string) =>
  page.locator(selector).evaluate((el) => {
    const select = el as HTMLSelectElement;
    const probe = document.createElement('span');
    probe.style.cssText = `font:${getComputedStyle(select).font};position:absolute;white-space:pre;visibility:hidden`;
    probe.textContent = select.selectedOptions[0]?.textContent ?? '';
    document.body.append(probe);
    const needed = probe.getBoundingClientRect().width;
    probe.remove();
    // The arrow and the padding take about 24 px of the select's width.
    return needed + 20 <= select.getBoundingClientRect().width;
  });

describe('the composer at side bar widths', function () {
  const app = appPage();

  for (const width of [260, 300, 340]) {
    it(`at ${width} px: the pickers share a row above Send, every control whole and inside the view`, async () => {
      const page = await app.open({ theme: 'dark', surface: 'sidebar', width });
      await host(page, { type: 'init', surface: 'sidebar', config: CONFIG });
      await frame(page);
      const b = await boxes(page);
      assert.ok(sameRow(b.model, b.effort), 'the two pickers share a row');
      assert.ok(sameRow(b.attach, b.send) && sameRow(b.mode, b.send), 'attach, mode and Send share a row');
      assert.ok(b.send.top >= b.model.bottom, 'Send is below the pickers');
      for (const [name, box] of Object.entries(b)) assert.ok(box.left >= 0 && box.right <= width, `${name} in view`);
      assert.ok(await labelFits(page, CONTROLS.model), 'the model name is not cut');
      assert.ok(await labelFits(page, CONTROLS.effort), 'the effort label is not cut');
    });
  }

  it('at 420 px: every control on one row, Send last', async () => {
    const page = await app.open({ theme: 'light', surface: 'sidebar', width: 420 });
    await host(page, { type: 'init', surface: 'sidebar', config: CONFIG });
    await frame(page);
    const b = await boxes(page);
    for (const name of ['attach', 'mode', 'model', 'effort'] as const) {
      assert.ok(sameRow(b[name], b.send), `${name} shares Send's row`);
      assert.ok(b[name].right <= b.send.left, `${name} is left of Send`);
    }
    assert.ok(await labelFits(page, CONTROLS.model), 'the model name is not cut');
    assert.ok(await labelFits(page, CONTROLS.effort), 'the effort label is not cut');
  });
});
