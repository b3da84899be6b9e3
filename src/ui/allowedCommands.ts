// The command prefixes the user allowed the agent to run without asking ("Always Allow"), per
// workspace. They live in the extension's workspace state, not in settings files: a cloned
// repository's .vscode/settings.json must not be able to pre-approve commands. "DeepSeek: Allowed
// Commands" lists them and revokes any of them.
import * as vscode from 'vscode';

const KEY = 'deepseekRepo.agent.allowedCommands';

export class AllowedCommands {
  constructor(private readonly state: vscode.Memento) {}

  /** The prefixes allowed in this workspace, in the order they were allowed. */
  list(): string[] {
    const v = this.state.get<unknown>(KEY, []);
    return Array.isArray(v) ? v.filter((p): p is string => typeof p === 'string' && p.trim() !== '') : [];
  }

  async add(prefix: string): Promise<void> {
    const p = prefix.trim();
    if (!p || this.list().includes(p)) return;
    await this.state.update(KEY, [...this.list(), p]);
  }

  async remove(prefixes: readonly string[]): Promise<void> {
    await this.state.update(
      KEY,
      this.list().filter((p) => !prefixes.includes(p)),
    );
  }

  /** Shows the allowed prefixes; the ones the user picks are revoked. */
  async manage(): Promise<void> {
    const list = this.list();
    if (!list.length) {
      void vscode.window.showInformationMessage(
        'No commands are allowed to run without asking in this workspace. ' +
          '"Always Allow" on a command the agent wants to run adds one.',
      );
      return;
    }
    const picked = await vscode.window.showQuickPick(
      list.map((p) => ({ label: p, description: 'runs without asking (and any arguments after it)' })),
      { canPickMany: true, title: 'Allowed Commands: pick the ones to revoke', ignoreFocusOut: true },
    );
    if (!picked?.length) return;
    await this.remove(picked.map((p) => p.label));
    void vscode.window.showInformationMessage(`Revoked: ${picked.map((p) => p.label).join(', ')}.`);
  }
}
