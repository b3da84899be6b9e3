// Wires the extension together; the work happens in commands.ts, src/ui and the core.
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { ApiKeyStore } from './config';
import { redactingLogger } from './shared/log';
import { SidebarChat } from './ui/sidebar';
import { AnswerPanel } from './ui/panel';
import { testingApi, testingEnabled, type TestingApi } from './ui/testHooks';

export function activate(context: vscode.ExtensionContext): TestingApi | undefined {
  const channel = vscode.window.createOutputChannel('DeepSeek Repo', { log: true });
  const services = { keys: new ApiKeyStore(context.secrets), log: redactingLogger(channel) };
  const sidebar = new SidebarChat(context.extensionUri, services);
  context.subscriptions.push(
    channel,
    sidebar,
    vscode.window.registerWebviewViewProvider(SidebarChat.viewId, sidebar),
    ...registerCommands({ extensionUri: context.extensionUri, services, sidebar }),
    { dispose: () => AnswerPanel.dispose() },
  );
  return testingEnabled ? testingApi(context.secrets) : undefined;
}

export function deactivate() {}
