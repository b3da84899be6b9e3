// The UI story, third part: Apply Edits opens a diff with Accept and Reject under the answer, the proposal
// edited in the diff, Accept and Undo, in light and dark.
// Registered in order by story.test.ts: the parts share one browser page and what each leaves to the next.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { env } from '../driver/browser';
import { EVENT_MS } from '../shared/patience';
import { waitForFile } from './waits';
import { type Story } from './storyKit';

/** Registers this part's steps in the calling describe block. */
export function applySteps(s: Story): void {
  s.step('Apply Edits on an answer opens a diff, and Accept and Reject under the answer in the chat', async () => {
    const edit =
      '<<<<<<< SEARCH\n// E2E_MARKER_GREET: the suites check that this file reaches the request.\n=======\n// ' +
      'Greets loudly.\n>>>>>>> REPLACE\n' +
      '<<<<<<< SEARCH\n  return `Hello, ${name}!`;\n=======\n  return `Hello, ' +
      '${name.toUpperCase()}!`;\n>>>>>>> REPLACE\n';
    s.server.setScenario(() => ({
      steps: [
        { kind: 'content', text: `Shout it:\n\n\`\`\`ts path=src/greet.ts\n${edit}\`\`\`\n` },
        { kind: 'finish', reason: 'stop' },
        { kind: 'usage' },
        { kind: 'done' },
      ],
    }));
    await s.sidebar.getByRole('textbox').first().pressSequentially('Make greet shout', { delay: 5 });
    await s.page.keyboard.press('Enter');
    const apply = s.sidebar.getByRole('button', { name: 'Apply Edits to src/greet.ts…', exact: true });
    await apply.waitFor({ timeout: EVENT_MS });
    assert.equal(
      await s.sidebar
        .locator('.code-block')
        .last()
        .getByRole('button', { name: 'Insert at Cursor', exact: true })
        .count(),
      0,
      'an edit block cannot be inserted',
    );
    await apply.click();
    await s
      .editors()
      .getByRole('tab', { name: /greet\.ts ↔ DeepSeek proposal/ })
      .waitFor({ timeout: EVENT_MS });
    // The diff shows the one changed line on its right side (its first match may be a hidden copy).
    await s
      .editors()
      .locator('.editor.modified')
      .getByText('toUpperCase')
      .filter({ visible: true })
      .first()
      .waitFor({ timeout: EVENT_MS });
    // Accept and Reject are under the answer, in the chat beside the diff; no "Cancel" rejects.
    await s.card().getByRole('button', { name: 'Accept', exact: true }).waitFor({ timeout: EVENT_MS });
    assert.match(await s.card().innerText(), /Proposed change\s+src\/greet\.ts\s+\+2\s+−2/);
    assert.equal(
      await s.page.getByRole('button', { name: 'Cancel', exact: true }).filter({ visible: true }).count(),
      0,
    );
    await s.shot('4-apply-diff');
  });

  s.step("the proposal is editable: the diff's arrow takes one change back", async () => {
    const modified = s.editors().locator('.editor.modified');
    const shout = modified.getByText('toUpperCase').filter({ visible: true }).first();
    await shout.hover();
    const y = (await shout.boundingBox())!.y;
    const arrows = s.editors().locator('[aria-label="Revert Block"]');
    const distances = await Promise.all(
      (await arrows.all()).map(async (a) => Math.abs(((await a.boundingBox())?.y ?? Infinity) - y)),
    );
    await arrows.nth(distances.indexOf(Math.min(...distances))).click();
    // Gone from the right side's visible lines (the editor keeps hidden copies of rendered lines).
    await modified
      .locator('.view-lines')
      .getByText('return `Hello, ${name}!`;')
      .filter({ visible: true })
      .waitFor({ timeout: EVENT_MS });
    assert.equal(
      await modified.getByText('toUpperCase').filter({ visible: true }).count(),
      0,
      'the reverted change is gone',
    );
    assert.equal(
      await modified.getByText('Greets loudly').filter({ visible: true }).count(),
      1,
      'the other change stays',
    );
    await s.shot('5-apply-diff-reverted');
  });

  s.step('the review, in light and dark', () => s.themeShots('apply-review'));

  s.step('Accept under the answer applies what the diff shows, and the chat says what was applied', async () => {
    await s.card().getByRole('button', { name: 'Accept', exact: true }).click();
    await s.card().getByRole('button', { name: 'Undo', exact: true }).waitFor({ timeout: EVENT_MS });
    assert.match(await s.card().innerText(), /^Applied\s+src\/greet\.ts\s+\+1\s+−1\s+edited/);
    await s
      .editors()
      .getByRole('tab', { name: /^greet\.ts/ })
      .waitFor({ timeout: EVENT_MS });
    await s.editors().locator('.view-lines').getByText('Greets loudly').first().waitFor({ timeout: EVENT_MS });
    assert.equal(
      await s.editors().locator('.view-lines').getByText('toUpperCase').filter({ visible: true }).count(),
      0,
      'the reverted change was not applied',
    );
    await s
      .editors()
      .getByRole('tab', { name: /DeepSeek proposal/ })
      .waitFor({ state: 'detached', timeout: EVENT_MS });
    // Once files.autoSave (VS Code for the Web's `afterDelay`, pinned for this suite) has saved the file,
    // the edited proposal (changed last before the file was, so its auto save came first) is not
    // reopened as a dirty editor of its own, and no save failed.
    const greet = path.join(env('E2E_FOLDER'), 'src', 'greet.ts');
    await waitForFile(greet, 'auto save to write the accepted edit', (text) => text.includes('Greets loudly'));
    assert.equal(
      await s
        .editors()
        .getByRole('tab', { name: /greet\.ts/ })
        .count(),
      1,
      'one greet.ts tab: the file',
    );
    assert.equal(await s.page.getByText('Failed to save').count(), 0);
    await s.shot('6-applied');
  });

  s.step('what was applied, in light and dark', () => s.themeShots('apply-applied'));

  s.step('Undo in the chat puts the file back as it was', async () => {
    await s.card().getByRole('button', { name: 'Undo', exact: true }).click();
    await s
      .card()
      .filter({ hasText: /^Undone/ })
      .waitFor({ timeout: EVENT_MS });
    const greet = path.join(env('E2E_FOLDER'), 'src', 'greet.ts');
    await waitForFile(greet, 'Undo to write the file as it was', (text) => text.startsWith('// E2E_MARKER_GREET'));
    await s
      .editors()
      .locator('.view-lines')
      .getByText('E2E_MARKER_GREET')
      .filter({ visible: true })
      .first()
      .waitFor({ timeout: EVENT_MS });
    await s.shot('7-undone');
  });
}
