// The user settings each end-to-end suite starts with; test/e2e/run.sh writes them to the suite's
// settings.json (`node --import tsx test/e2e/shared/userSettings.ts SUITE`). Every editor setting a test
// relies on is pinned here instead of inherited from code-server's defaults, which differ from desktop
// VS Code's (files.autoSave is `afterDelay` in VS Code for the Web) and may change with a release: a test
// must not race a save, a formatter, a language server's diagnostics or a prompt that VS Code starts on
// its own. A test about one of these settings sets it itself and puts the pinned value back.
// Deliberately not pinned: what the product is tested under (workbench.editor.enablePreview, the
// themes), so the suites see what a user sees.

export type Suite = 'trusted' | 'restricted' | 'ui';

const QUIET = {
  // Nothing on the screen but the test's own windows.
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'window.commandCenter': false,
  'chat.disableAIFeatures': true,
  'extensions.ignoreRecommendations': true,
  // Offline and private: no telemetry, experiments, updates, or type downloads from the npm registry.
  'telemetry.telemetryLevel': 'off',
  'workbench.enableExperiments': false,
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'update.mode': 'none',
  'typescript.disableAutomaticTypeAcquisition': true,
};

const EDITING = {
  // Files change on disk only when a test saves them (a test about auto save turns it on itself).
  'files.autoSave': 'off',
  'files.hotExit': 'onExit', // a reload keeps unsaved editors without asking
  'window.confirmBeforeClose': 'never', // and the page never asks "leave site?"
  // Saving writes the buffer as it is.
  'editor.formatOnSave': false,
  'editor.formatOnPaste': false,
  'editor.formatOnType': false,
  'editor.codeActionsOnSave': {},
  'files.insertFinalNewline': false,
  'files.trimTrailingWhitespace': false,
  'files.trimFinalNewlines': false,
  'files.eol': '\n',
  'files.encoding': 'utf8',
  'files.autoGuessEncoding': false,
  // The problems a test sees are the ones it set (TypeScript would add its own, whenever it is done).
  'typescript.validate.enable': false,
  'javascript.validate.enable': false,
  // Diffs side by side with the revert arrows between them, whatever the window's width.
  'diffEditor.renderSideBySide': true,
  'diffEditor.useInlineViewWhenSpaceIsLimited': false,
  'diffEditor.renderMarginRevertIcon': true,
  'diffEditor.hideUnchangedRegions.enabled': false,
};

/** The settings.json object for `suite`. */
export function userSettings(suite: Suite): Record<string, unknown> {
  return {
    ...QUIET,
    ...EDITING,
    // Git only where a suite uses it (the editor commands); elsewhere it would only slow the window down.
    // The fixture sits inside the checkout's own repository: never offer to open that one.
    'git.enabled': suite === 'trusted',
    'git.openRepositoryInParentFolders': 'never',
    'git.autofetch': false,
    ...(suite === 'restricted'
      ? {
          'security.workspace.trust.enabled': true,
          'security.workspace.trust.startupPrompt': 'never',
          'security.workspace.trust.banner': 'never',
        }
      : {}),
    // The UI story checks that accepting an edit survives VS Code for the Web's auto save: it saves
    // one second after the last change, as a user of code-server has it.
    ...(suite === 'ui' ? { 'files.autoSave': 'afterDelay', 'files.autoSaveDelay': 1000 } : {}),
  };
}

if (require.main === module) {
  const suite = process.argv[2];
  if (suite !== 'trusted' && suite !== 'restricted' && suite !== 'ui') {
    process.stderr.write('usage: userSettings.ts trusted|restricted|ui\n');
    process.exit(2);
  }
  process.stdout.write(JSON.stringify(userSettings(suite), null, 2) + '\n');
}
