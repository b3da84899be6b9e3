// The workspace gates every command and view checks before it reads or sends anything: a trusted
// workspace with a folder (`canAsk`), and an API key unless the endpoint is on this machine
// (`canSend`). Each tells the user what is missing; nothing else in the extension asks these twice.
import * as vscode from 'vscode';
import type { WorkspaceRoot } from '../context/types';
import { needsApiKey } from '../llm/endpoint';
import { readSettings, type ApiKeyStore } from '../config';

/**
 * True when the workspace may be asked about: trusted, with a folder. Otherwise tells the user what is
 * missing. Commands check it before opening any UI, so Restricted Mode never shows an empty panel.
 */
export function canAsk(): boolean {
  if (!vscode.workspace.isTrusted) {
    void vscode.window
      .showWarningMessage(
        'DeepSeek Repo sends nothing in Restricted Mode. Trust this workspace to ask about it.',
        'Manage Workspace Trust',
      )
      .then((a) => a && vscode.commands.executeCommand('workbench.trust.manage'));
    return false;
  }
  if (workspaceRoots().length === 0) {
    void vscode.window.showWarningMessage(
      'Open a folder first: DeepSeek Repo answers questions about the files of the workspace.',
    );
    return false;
  }
  return true;
}

/**
 * True when a question may be sent now: `canAsk`, and an API key (asked for when missing) unless the
 * endpoint is on this machine.
 */
export async function canSend(keys: ApiKeyStore): Promise<boolean> {
  if (!canAsk()) return false;
  if (!(await keys.get()) && needsApiKey(readSettings().baseUrl) && !(await keys.prompt())) {
    void vscode.window.showWarningMessage('A DeepSeek API key is needed to ask. Run "DeepSeek: Set API Key".');
    return false;
  }
  return true;
}

/** The workspace folders on disk (`file:` scheme), as the context engine reads them. */
export function workspaceRoots(): WorkspaceRoot[] {
  return (vscode.workspace.workspaceFolders ?? [])
    .filter((f) => f.uri.scheme === 'file')
    .map((f) => ({ name: f.name, path: f.uri.fsPath }));
}
