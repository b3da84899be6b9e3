// What every UI-suite story shares: its steps, which run in order and fail at once when an earlier
// one failed (the window's picture taken at the failure), and its pictures of the whole window in
// the light and dark themes, once the sidebar's webview wears each.
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { EVENT_MS } from '../shared/patience';
import { waitForSetting } from './waits';
import type { Workbench } from './workbench';

// label: in the theme picker; setting: the `workbench.colorTheme` value picking it stores (VS Code 1.139
// stores "Light Modern" / "Dark Modern" for what older versions called "Default Light/Dark Modern").
// cssClass: the workbench's class for the theme; webviewClass: the class VS Code gives a webview's <body>.
export const THEMES = [
  { id: 'light', label: 'Light Modern', setting: 'Light Modern', cssClass: 'vs', webviewClass: 'vscode-light' },
  { id: 'dark', label: 'Dark Modern', setting: 'Dark Modern', cssClass: 'vs-dark', webviewClass: 'vscode-dark' },
  {
    id: 'high-contrast',
    label: 'Dark High Contrast',
    setting: 'Default High Contrast',
    cssClass: 'hc-black',
    webviewClass: 'vscode-high-contrast',
  },
];

/**
 * A `step(title, fn)` for one story: a mocha test that fails at once, without running, when an earlier step
 * failed; a failing step leaves a picture of the window in `$E2E_ARTIFACTS/<failureShot>`.
 */
export function stepper(options: {
  page: () => Page | undefined;
  artifacts: string;
  failureShot: string;
}): (title: string, fn: () => Promise<void>) => void {
  let failedStep: string | undefined;
  return (title, fn) =>
    it(title, async () => {
      if (failedStep) throw new Error(`not attempted: the earlier step "${failedStep}" failed`);
      try {
        await fn();
      } catch (e) {
        failedStep = title;
        await options
          .page()
          ?.screenshot({ path: path.join(options.artifacts, options.failureShot) })
          .catch(() => {});
        throw e;
      }
    });
}

/** The whole window in the light and dark themes, once `sidebar` wears each ($E2E_ARTIFACTS/themes/NAME-THEME.png). */
export async function themeShots(
  ui: { wb: Workbench; page: Page; sidebar: Frame; settingsFile: string; artifacts: string },
  name: string,
): Promise<void> {
  for (const theme of THEMES.slice(0, 2)) {
    await ui.wb.setColorTheme(theme.label, theme.cssClass);
    await waitForSetting(ui.settingsFile, 'workbench.colorTheme', theme.setting);
    await ui.sidebar.locator(`body.${theme.webviewClass}`).waitFor({ timeout: EVENT_MS });
    await ui.page.mouse.move(640, 12); // no hover state or tooltip in the pictures
    await ui.page.screenshot({ path: path.join(ui.artifacts, 'themes', `${name}-${theme.id}.png`) });
  }
}
