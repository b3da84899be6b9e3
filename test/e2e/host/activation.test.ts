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
});
