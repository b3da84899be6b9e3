// The extension activates in the real extension host and registers everything it contributes.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { extension, testingApi, waitFor } from './harness';

describe('activation', () => {
  it('activates once VS Code has started, before any command (its quick fix is offered from the start)', async () => {
    await waitFor('the extension to activate by itself', () => extension().isActive || undefined);
  });

  it('activates in a real VS Code extension host', async () => {
    console.log(
      `    VS Code ${vscode.version}, Node ${process.version}, uiKind ${vscode.UIKind[vscode.env.uiKind]}, ` +
        `remote ${vscode.env.remoteName}`,
    );
    const api = await testingApi();
    assert.ok(extension().isActive);
    assert.equal(typeof api.deliver, 'function');
  });

  it('registers every command contributed in package.json', async () => {
    const manifest = extension().packageJSON as { contributes: { commands: { command: string }[] } };
    const contributed = manifest.contributes.commands.map((c) => c.command);
    assert.ok(contributed.includes('deepseekRepo.ask'), `contributed commands: ${contributed.join(', ')}`);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(
      contributed.filter((c) => !registered.has(c)),
      [],
      'contributed but not registered',
    );
  });

  it("binds its keys where no VS Code default (or built-in extension's) key is", async () => {
    const norm = (key: string) => key.toLowerCase().split('+').sort().join('+');
    const manifest = extension().packageJSON as { contributes: { keybindings: { command: string; key: string }[] } };
    const ours = manifest.contributes.keybindings.map((k) => ({ command: k.command, key: norm(k.key) }));
    assert.ok(
      ours.some((k) => k.command === 'deepseekRepo.focusChatInput'),
      'Focus Chat Input has a key',
    );
    await vscode.commands.executeCommand('workbench.action.openDefaultKeybindingsFile');
    const doc = await waitFor('the default keybindings file', () => {
      const d = vscode.window.activeTextEditor?.document;
      return d?.uri.path.endsWith('keybindings.json') ? d : undefined;
    });
    // A JSON array with // comments; every default binding of this platform, extensions' too.
    const defaults = JSON.parse(
      doc
        .getText()
        .split('\n')
        .filter((l) => !/^\s*\/\//.test(l))
        .join('\n'),
    ) as { key: string; command: string }[];
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    assert.ok(defaults.length > 500, `only ${defaults.length} default keybindings read`);
    for (const k of ours) {
      const others = defaults.filter((d) => norm(d.key) === k.key && !d.command.startsWith('deepseekRepo.'));
      assert.deepEqual(others, [], `${k.key} (${k.command}) is also VS Code's`);
    }
  });
});
