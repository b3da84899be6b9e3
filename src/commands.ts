// Every command of the extension, in one table of id -> handler.
import * as vscode from 'vscode';
import { packWorkspace } from './context/pack';
import { readSettings, repositoryBudget } from './config';
import { AnswerPanel } from './ui/panel';
import { workspaceRoots, type Services } from './ui/chatController';
import type { SidebarChat } from './ui/sidebar';

export interface CommandContext {
  extensionUri: vscode.Uri;
  services: Services;
  sidebar: SidebarChat;
}

type Handler = (ctx: CommandContext, ...args: unknown[]) => unknown;

const commands: Record<string, Handler> = {
  'deepseekRepo.ask': async (ctx, question?: unknown) => {
    const q =
      typeof question === 'string' && question.trim()
        ? question
        : await vscode.window.showInputBox({ title: 'Ask About Repository', prompt: 'Your question about the whole workspace', ignoreFocusOut: true });
    if (!q?.trim()) return;
    await AnswerPanel.show(ctx.extensionUri, ctx.services).controller.ask(q);
  },
  'deepseekRepo.newChat': async (ctx) => {
    await vscode.commands.executeCommand('deepseekRepo.chat.focus');
    ctx.sidebar.controller?.newChat();
  },
  'deepseekRepo.setApiKey': async (ctx) => {
    const key = await ctx.services.keys.prompt();
    if (key) void vscode.window.showInformationMessage('DeepSeek API key saved in SecretStorage.');
  },
  'deepseekRepo.showContext': async () => {
    const roots = workspaceRoots();
    if (roots.length === 0) return void vscode.window.showWarningMessage('Open a folder first.');
    const pack = await packWorkspace(roots, { budgetTokens: repositoryBudget(readSettings(), 0) });
    const lines = pack.files.map((f) => `${f.status.padEnd(8)} ${String(f.tokens).padStart(8)}  ${f.path}${f.reason ? `  (${f.reason})` : ''}`);
    const doc = await vscode.workspace.openTextDocument({ content: `Repository block: ${pack.tokens} tokens\n\n${lines.join('\n')}\n`, language: 'plaintext' });
    await vscode.window.showTextDocument(doc, { preview: true });
  },
};

export function registerCommands(ctx: CommandContext): vscode.Disposable[] {
  return Object.entries(commands).map(([id, handler]) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await handler(ctx, ...args);
      } catch (e) {
        ctx.services.log.error(`${id} failed: ${(e as Error).stack ?? e}`);
        void vscode.window.showErrorMessage(`DeepSeek Repo: ${(e as Error).message}`);
      }
    }),
  );
}
