// Wires the extension together; the work happens in commands.ts, src/ui and the core.
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { ApiKeyStore } from './config';
import { redactingLogger } from './shared/log';
import type { Services } from './ui/chatController';
import { ChatRuntime } from './ui/chatRuntime';
import { CostStatus } from './ui/costStatus';
import { ProposalProvider } from './ui/proposalDiff';
import { ChangeReview } from './ui/changeReview';
import { FixWithDeepSeek } from './ui/quickFix';
import { ViewChoices } from './ui/viewChoice';
import { SidebarChat } from './ui/sidebar';
import { AnswerPanel } from './ui/panel';
import { ContextService } from './ui/contextService';
import { mentionCompleter } from './ui/mentionPorts';
import { ContextInspector } from './ui/inspector';
import { RepositoryMcpServers } from './ui/mcpServer';
import { AgentMode } from './ui/agentMode';
import { reviewAgentChanges } from './ui/agentReview';
import { testingApi, testingEnabled, type TestingApi } from './ui/testHooks';

export function activate(context: vscode.ExtensionContext): TestingApi | undefined {
  const channel = vscode.window.createOutputChannel('DeepSeek Repo', { log: true });
  const keys = new ApiKeyStore(context.secrets);
  const proposals = new ProposalProvider();
  const review = new ChangeReview(proposals);
  const log = redactingLogger(channel);
  const contextService = new ContextService(context.globalStorageUri.fsPath, log);
  const agentMode = new AgentMode({
    state: context.workspaceState,
    roots: () => contextService.roots(),
    context: contextService,
    review: (changes, opts) => reviewAgentChanges(review, contextService.roots(), changes, opts),
  });
  const runtime = new ChatRuntime({
    keys,
    log,
    storageUri: context.storageUri,
    globalStorageUri: context.globalStorageUri,
    context: contextService,
    agent: (view) => agentMode.options(view),
  });
  const cost = new CostStatus();
  const mentions = mentionCompleter(contextService);
  const services: Services = {
    keys,
    log,
    review,
    cost,
    newBackend: (options) => runtime.newBackend(options),
    models: () => runtime.models(),
    prereadContext: () => contextService.prereadSoon(),
    agentMode,
    mentions,
    choices: new ViewChoices(context.workspaceState),
  };
  const sidebar = new SidebarChat(context.extensionUri, services);
  const inspector = new ContextInspector(contextService, (model) => runtime.modelWindow(model));
  const mcp = new RepositoryMcpServers(
    vscode.Uri.joinPath(context.extensionUri, 'dist', 'cli.js').fsPath,
    (context.extension.packageJSON as { version: string }).version,
    keys,
  );
  context.subscriptions.push(
    channel,
    review,
    proposals,
    cost,
    sidebar,
    contextService,
    mentions,
    inspector.register(),
    runtime.register(),
    mcp.register(),
    vscode.window.registerWebviewViewProvider(SidebarChat.viewId, sidebar),
    vscode.languages.registerCodeActionsProvider({ scheme: 'file' }, new FixWithDeepSeek(), FixWithDeepSeek.metadata),
    vscode.window.registerWebviewPanelSerializer(
      AnswerPanel.viewType,
      AnswerPanel.serializer(context.extensionUri, services),
    ),
    ...registerCommands({ extensionUri: context.extensionUri, services, sidebar, inspector }),
    { dispose: () => AnswerPanel.dispose() },
  );
  return testingEnabled
    ? testingApi({ secrets: context.secrets, inspector, context: contextService, mcp, review, agentMode })
    : undefined;
}

export function deactivate() {
  // Everything registered is disposed through the context's subscriptions.
}
