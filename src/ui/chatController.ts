// Host side of one webview (the editor panel or the sidebar view), as VS Code wires it: the chat
// view's ports (chatView.ts) made of vscode (notifications, commands, code actions, settings, the
// key store, the editor), and the events that refresh the view (key, settings, trust, folders,
// the editor's place). Everything the view decides lives in the vscode-free parts; this stays thin.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TaskPrompt } from '../chat/tasks';
import { localHost } from '../llm/endpoint';
import type { ListedModels } from '../llm/types';
import type { Surface, TurnRecord } from '../protocol/messages';
import { onDidChangeSettings, readSettings, type ApiKeyStore, type Settings } from '../config';
import type { Logger } from '../shared/log';
import { editorPlace } from './editorFocus';
import { applyCode, copyText, EditorTracker, insertAtCursor, newFileWith, openFileRef } from './codeActions';
import { ChatView } from './chatView';
import type { MentionCompleter } from './mentionCompleter';
import type { CostStatus } from './costStatus';
import type { ChangeReview } from './changeReview';
import type { SessionBackend } from './sessionBackend';
import type { Dialogs, Workbench } from './viewPorts';
import type { HostState } from './viewSync';
import { canSend, workspaceRoots } from './workspaceGate';
import type { AgentMode } from './agentMode';
import { undoTurnFiles } from './undoTurn';
import type { Choice, ViewChoices } from './viewChoice';

export interface Services {
  keys: ApiKeyStore;
  log: Logger;
  /** Reviews, applies and undoes changes proposed from answers (Apply). */
  review: ChangeReview;
  /** A conversation backend for one view; `draft` names where its composer's waiting images outlive a reload. */
  newBackend(options?: { draft?: string }): SessionBackend;
  /** Model ids the endpoint offers (`GET /models`) and the windows it reports, cached; empty when unknown. */
  models(): Promise<ListedModels>;
  /** The status bar item that shows what each answer cost. */
  cost: CostStatus;
  /** A chat view opened: read the workspace ahead of the first question (ContextService.prereadSoon). */
  prereadContext(): void;
  /** The composer's mode (act or answer only), per workspace. */
  agentMode?: AgentMode;
  /** The pickers' model and effort, per workspace and view (kept over a window reload). */
  choices?: ViewChoices;
  /** The composer's `@` completion (one index for the window). */
  mentions: MentionCompleter;
}

/** The model and effort the settings give a new conversation. */
const settingsChoice = (s: Settings): Choice => ({ model: s.model, effort: s.thinking ? s.reasoningEffort : 'off' });

const dialogs: Dialogs = {
  info: (message) => void vscode.window.showInformationMessage(message),
  warn: (message) => void vscode.window.showWarningMessage(message),
  confirm: async (message, action) =>
    (await vscode.window.showWarningMessage(message, { modal: true }, action)) === action,
  error: (message) => void vscode.window.showErrorMessage(message),
};

/** The code actions and commands of the chat, in this editor window. */
function workbench(review: ChangeReview, tracker: EditorTracker, surface: Surface): Workbench {
  return {
    command: async (id, ...args) => void (await vscode.commands.executeCommand(id, ...args)),
    openExternal: async (href) => void (await vscode.env.openExternal(vscode.Uri.parse(href, true))),
    openFile: openFileRef,
    copy: copyText,
    insertAtCursor: (code) => insertAtCursor(tracker, code),
    apply: (code, path, onUpdate) =>
      applyCode(review, tracker, code, {
        ...(path ? { path } : {}),
        // The panel is an editor: the diff opens beside it, so Accept and Reject stay in view.
        review: { beside: surface === 'panel', preserveFocus: true, onUpdate },
      }),
    decideChanges: async (id, decision) => void (await review.decide(id, decision)),
    undoChanges: async (id) => void (await review.undo(id)),
    showChanges: (id) => review.show(id),
    newFile: newFileWith,
  };
}

async function hostState(keys: ApiKeyStore): Promise<HostState> {
  const s = readSettings();
  const hasKey = !!(await keys.get());
  return {
    hasKey,
    localEndpoint: hasKey ? undefined : localHost(s.baseUrl),
    trusted: vscode.workspace.isTrusted,
    hasWorkspace: workspaceRoots().length > 0,
    configuredModels: [s.model, s.fastModel],
    windowSet: s.contextWindowTokens !== null,
  };
}

async function showMarkdown(content: string): Promise<void> {
  const doc = await vscode.workspace.openTextDocument({ content, language: 'markdown' });
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One });
}

export class ChatController implements vscode.Disposable {
  private readonly view: ChatView;
  private readonly tracker = new EditorTracker();
  private readonly disposables: vscode.Disposable[] = [this.tracker];
  private editorTimer: NodeJS.Timeout | undefined;

  constructor(webview: vscode.Webview, surface: Surface, services: Services, backend = services.newBackend()) {
    const s = readSettings();
    const agentMode = services.agentMode;
    const choices = services.choices;
    this.view = new ChatView({
      webview,
      surface,
      backend,
      log: services.log,
      dialogs,
      workbench: workbench(services.review, this.tracker, surface),
      canSend: () => canSend(services.keys),
      reportCost: (usage, total) => services.cost.report(usage, total),
      hostState: () => hostState(services.keys),
      models: () => services.models(),
      editorPlace: () => editorPlace(this.tracker.editor),
      showMarkdown,
      readFile: async (uri) => {
        const u = vscode.Uri.parse(uri, true);
        const stat = await vscode.workspace.fs.stat(u);
        if (stat.type & vscode.FileType.Directory) throw new Error('it is a folder');
        return {
          name: path.posix.basename(u.path),
          size: stat.size,
          read: async () => vscode.workspace.fs.readFile(u),
        };
      },
      options: {
        ...(choices ? choices.initial(surface, settingsChoice(s)) : settingsChoice(s)),
        ...(agentMode ? { act: agentMode.act } : {}),
      },
      ...(agentMode ? { saveMode: (act: boolean) => void agentMode.setAct(act) } : {}),
      ...(choices ? { saveChoice: (c: Choice) => void choices.save(surface, c, settingsChoice(readSettings())) } : {}),
      undoFiles: (steps) => undoTurnFiles(workspaceRoots(), steps),
      mentions: (query, early) => services.mentions.complete(query, early ? { early } : {}),
    });
    services.prereadContext();
    const refresh = () => void this.view.sync.refresh();
    const editorMoved = () => this.sendEditorSoon();
    this.disposables.push(
      webview.onDidReceiveMessage((raw) => this.view.receive(raw)),
      services.keys.onDidChange(refresh),
      onDidChangeSettings(refresh),
      vscode.workspace.onDidGrantWorkspaceTrust(refresh),
      vscode.workspace.onDidChangeWorkspaceFolders(refresh),
      vscode.window.onDidChangeActiveTextEditor(editorMoved),
      vscode.window.onDidChangeVisibleTextEditors(editorMoved),
      vscode.window.onDidChangeTextEditorSelection(editorMoved),
      { dispose: () => clearTimeout(this.editorTimer) },
    );
  }

  /** Tells the composer where the user's editor is (for its chip), shortly after it moves. */
  private sendEditorSoon(): void {
    clearTimeout(this.editorTimer);
    this.editorTimer = setTimeout(() => this.view.sync.sendEditor(), 150);
  }

  /** True while the view shows a conversation (a turn, or a question streaming). */
  get showsConversation(): boolean {
    return this.view.channel.transcript.turns.length > 0 || this.view.runner.busy;
  }

  /** Puts the caret in the webview's question box, now or once it is ready. */
  focusInput(): void {
    this.view.sync.focusInput();
  }

  /** Opens the webview's list of past conversations, now or once it is ready. */
  showHistory(): void {
    this.view.sync.showHistory();
  }

  /** Starts a new conversation: stops the running answer and clears the view. */
  newChat(): void {
    this.view.runner.newChat();
  }

  /** Puts the image files `uris` into the composer (read and checked here; the composer scales them). */
  attachImages(uris: string[]): Promise<void> {
    return this.view.attachFiles(uris);
  }

  /** Asks `question` in this view's conversation and streams the answer into it. */
  ask(question: string): Promise<void> {
    return this.view.runner.ask(question);
  }

  /** Runs an editor command's task as a new conversation on `model`; resolves with its finished turn. */
  runTask(task: TaskPrompt, model: string, signal?: AbortSignal): Promise<TurnRecord | undefined> {
    return this.view.runner.runTask(task, model, signal);
  }

  dispose(): void {
    this.view.runner.stop();
    for (const d of this.disposables) d.dispose();
  }
}
