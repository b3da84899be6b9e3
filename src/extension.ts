// Wires the extension together; the work happens in commands.ts, src/ui and the core.
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { ApiKeyStore } from './config';
import { redactingLogger } from './shared/log';
import type { Services } from './ui/chatController';
import { ChatRuntime } from './ui/chatRuntime';
import { ProposalProvider } from './ui/proposalDiff';
import { SidebarChat } from './ui/sidebar';
import { AnswerPanel } from './ui/panel';

export function activate(context: vscode.ExtensionContext) {
  const channel = vscode.window.createOutputChannel('DeepSeek Repo', { log: true });
  const keys = new ApiKeyStore(context.secrets);
  const proposals = new ProposalProvider();
  const log = redactingLogger(channel);
  const runtime = new ChatRuntime({ keys, log, storageUri: context.storageUri, globalStorageUri: context.globalStorageUri });
  const services: Services = { keys, log, proposals, newBackend: () => runtime.newBackend() };
  const sidebar = new SidebarChat(context.extensionUri, services);
  context.subscriptions.push(
    channel,
    proposals,
    sidebar,
    vscode.window.registerWebviewViewProvider(SidebarChat.viewId, sidebar),
    vscode.window.registerWebviewPanelSerializer(AnswerPanel.viewType, AnswerPanel.serializer(context.extensionUri, services)),
    ...registerCommands({ extensionUri: context.extensionUri, services, sidebar }),
    { dispose: () => AnswerPanel.dispose() },
  );
}

export function deactivate() {}
