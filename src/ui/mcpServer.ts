// Offers `deepseek-repo mcp` to VS Code's MCP clients (Copilot's agent mode and any other extension
// that speaks MCP): the bundled CLI (dist/cli.js) run by the extension host's own Node for the open
// workspace's folders. Only in a trusted workspace (Restricted Mode gets no server), and not when the
// user turned it off (`deepseekRepo.mcpServer.enabled`). The API key and base URL are added when VS
// Code starts the server (resolve), never in the definitions it may keep.
import * as vscode from 'vscode';
import { mcpServerEnabled, onDidChangeSettings, readSettings, type ApiKeyStore } from '../config';

/** The provider's id: the same string as the `mcpServerDefinitionProviders` contribution in package.json. */
export const MCP_PROVIDER_ID = 'deepseekRepo.mcpServer';

export class RepositoryMcpServers implements vscode.McpServerDefinitionProvider<vscode.McpStdioServerDefinition> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeMcpServerDefinitions = this.changed.event;

  constructor(
    private readonly cliPath: string,
    private readonly version: string,
    private readonly keys: ApiKeyStore,
  ) {}

  /** Registers the provider and follows trust, folders and the setting; dispose to unregister. */
  register(): vscode.Disposable {
    const fire = () => this.changed.fire();
    return vscode.Disposable.from(
      this.changed,
      vscode.lm.registerMcpServerDefinitionProvider(MCP_PROVIDER_ID, this),
      vscode.workspace.onDidGrantWorkspaceTrust(fire),
      vscode.workspace.onDidChangeWorkspaceFolders(fire),
      onDidChangeSettings(fire),
    );
  }

  provideMcpServerDefinitions(): vscode.McpStdioServerDefinition[] {
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
    if (!vscode.workspace.isTrusted || !mcpServerEnabled() || folders.length === 0) return [];
    const server = new vscode.McpStdioServerDefinition(
      'DeepSeek Repo',
      process.execPath,
      [this.cliPath, 'mcp', ...folders.flatMap((f) => ['--dir', f.uri.fsPath])],
      // In desktop VS Code process.execPath is the editor's own binary, which runs as Node with this set.
      { ELECTRON_RUN_AS_NODE: '1' },
      this.version,
    );
    server.cwd = folders[0]!.uri;
    return [server];
  }

  async resolveMcpServerDefinition(
    server: vscode.McpStdioServerDefinition,
  ): Promise<vscode.McpStdioServerDefinition | undefined> {
    if (!vscode.workspace.isTrusted) return undefined;
    const key = await this.keys.get();
    server.env = {
      ...server.env,
      DEEPSEEK_BASE_URL: readSettings().baseUrl,
      ...(key ? { DEEPSEEK_API_KEY: key } : {}),
    };
    return server;
  }
}
