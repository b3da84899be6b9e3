// Wires the extension together; the work happens in commands.ts, src/ui and the core.
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { ApiKeyStore } from './config';
import { redactingLogger } from './shared/log';
import { SidebarChat } from './ui/sidebar';
import { AnswerPanel } from './ui/panel';
import { ContextService } from './ui/contextService';
import { ContextInspector } from './ui/inspector';

export function activate(context: vscode.ExtensionContext) {
  const channel = vscode.window.createOutputChannel('DeepSeek Repo', { log: true });
  const services = { keys: new ApiKeyStore(context.secrets), log: redactingLogger(channel) };
  const sidebar = new SidebarChat(context.extensionUri, services);
  const contextService = new ContextService(context.globalStorageUri.fsPath, services.log);
  const inspector = new ContextInspector(contextService);
  context.subscriptions.push(
    channel,
    sidebar,
    contextService,
    inspector.register(),
    vscode.window.registerWebviewViewProvider(SidebarChat.viewId, sidebar),
    ...registerCommands({ extensionUri: context.extensionUri, services, sidebar, inspector }),
    { dispose: () => AnswerPanel.dispose() },
  );
}

export function deactivate() {}
