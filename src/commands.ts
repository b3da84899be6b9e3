// Every command of the extension, in one table of id -> handler.
import * as vscode from 'vscode';
import { AnswerPanel } from './ui/panel';
import type { Services } from './ui/chatController';
import { canAsk } from './ui/workspaceGate';
import { ContextInspector } from './ui/inspector';
import type { InspectorNode } from './ui/inspectorModel';
import { SidebarChat } from './ui/sidebar';
import { taskCommands } from './ui/taskCommands';

export interface CommandContext {
  extensionUri: vscode.Uri;
  services: Services;
  sidebar: SidebarChat;
  inspector: ContextInspector;
}

type Handler = (ctx: CommandContext, ...args: unknown[]) => unknown;

const commands: Record<string, Handler> = {
  'deepseekRepo.ask': async (ctx, question?: unknown) => {
    if (!canAsk()) return;
    const q =
      typeof question === 'string' && question.trim()
        ? question
        : await vscode.window.showInputBox({
            title: 'Ask About Repository',
            prompt: 'Your question about the whole workspace',
            ignoreFocusOut: true,
          });
    if (!q?.trim()) return;
    await AnswerPanel.show(ctx.extensionUri, ctx.services).controller.ask(q);
  },
  // The explorer's image files (several when more are selected): a new chat in the panel with them attached.
  'deepseekRepo.askAboutImage': async (ctx, uri?: unknown, selected?: unknown) => {
    if (!canAsk()) return;
    const uris = (Array.isArray(selected) && selected.length ? selected : [uri]).filter(
      (u): u is vscode.Uri => u instanceof vscode.Uri,
    );
    if (!uris.length) return;
    const controller = AnswerPanel.show(ctx.extensionUri, ctx.services).controller;
    controller.newChat();
    await controller.attachImages(uris.map((u) => u.toString()));
  },
  // The caret in the sidebar chat's question box, from anywhere (the view's own focus command leaves
  // the focus where it was inside the view).
  'deepseekRepo.focusChatInput': async (ctx) => {
    await vscode.commands.executeCommand(`${SidebarChat.viewId}.focus`);
    ctx.sidebar.controller?.focusInput();
  },
  // The sidebar chat's past conversations, the first one focused (a keyboard's way to History).
  'deepseekRepo.showHistory': async (ctx) => {
    await vscode.commands.executeCommand(`${SidebarChat.viewId}.focus`);
    ctx.sidebar.controller?.showHistory();
  },
  'deepseekRepo.newChat': async (ctx) => {
    await vscode.commands.executeCommand('deepseekRepo.chat.focus');
    ctx.sidebar.controller?.newChat();
  },
  'deepseekRepo.setApiKey': async (ctx) => {
    const key = await ctx.services.keys.prompt();
    if (key) void vscode.window.showInformationMessage('DeepSeek API key saved in SecretStorage.');
  },
  'deepseekRepo.showContext': async (ctx) => {
    await vscode.commands.executeCommand(`${ContextInspector.viewId}.focus`);
    await ctx.inspector.refresh();
  },
  'deepseekRepo.acceptProposal': (ctx, uri?: unknown) =>
    ctx.services.review.decideFromEditor(uri instanceof vscode.Uri ? uri : undefined, { accept: true }),
  'deepseekRepo.rejectProposal': (ctx, uri?: unknown) =>
    ctx.services.review.decideFromEditor(uri instanceof vscode.Uri ? uri : undefined, { accept: false }),
  'deepseekRepo.context.refresh': (ctx) => ctx.inspector.refresh(),
  'deepseekRepo.context.exclude': (ctx, node?: unknown, to?: unknown) =>
    ctx.inspector.exclude(node as InspectorNode | undefined, to === 'setting' || to === 'ignoreFile' ? to : undefined),
  'deepseekRepo.context.include': (ctx, node?: unknown) => ctx.inspector.include(node as InspectorNode | undefined),
  'deepseekRepo.agent.allowedCommands': (ctx) => ctx.services.agentMode?.allowed.manage(),
};

export function registerCommands(ctx: CommandContext): vscode.Disposable[] {
  return Object.entries({ ...commands, ...taskCommands }).map(([id, handler]) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await handler(ctx, ...args);
      } catch (e) {
        ctx.services.log.error(`${id} failed: ${(e as Error).stack ?? String(e)}`);
        void vscode.window.showErrorMessage(`DeepSeek Repo: ${(e as Error).message}`);
      }
    }),
  );
}
