// The "Context" view: what the next question will send, per folder and file (tokens, status, reason,
// redactions), totals and the cost range on the pro and flash models, with Exclude / Include actions.
// Exclude asks where to keep the exclusion (the workspace settings, or .deepseekignore to share it)
// and says where it went; Include never writes .deepseekignore, and deletes one left with no rule.
// The model is inspectorModel.ts.
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  applyToIgnoreText,
  applyToPatterns,
  excludeEdit,
  excludeIsUndo,
  hasNoRules,
  includeEdit,
  type ContextEdit,
  type ExcludeTo,
} from '../context/scan/ignoreEdits';
import type { Pack } from '../context/types';
import { questionBudget, readContextSettings, readSettings, writeContextPatterns } from '../config';
import type { ContextService } from './contextService';
import { buildInspectorTree, type InspectorNode } from './inspectorModel';

const ICONS: Record<string, string> = { included: 'pass', outline: 'symbol-structure', excluded: 'circle-slash' };

export class ContextInspector implements vscode.TreeDataProvider<InspectorNode>, vscode.Disposable {
  static readonly viewId = 'deepseekRepo.context';
  private nodes: InspectorNode[] = [];
  private pack: Pack | undefined;
  private stale = true;
  private view: vscode.TreeView<InspectorNode> | undefined;
  private readonly emitter = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [];
  readonly onDidChangeTreeData = this.emitter.event;

  /** @param windowOf a model's context window (tokens) when it is set or reported (ChatRuntime.modelWindow) */
  constructor(
    private readonly context: ContextService,
    private readonly windowOf: (model: string) => Promise<number | undefined>,
  ) {
    this.disposables.push(
      this.emitter,
      context.onDidChange(() => {
        this.stale = true;
        if (this.view?.visible) void this.refresh();
      }),
    );
  }

  /** Creates the tree view (call once). */
  register(): vscode.Disposable {
    this.view = vscode.window.createTreeView(ContextInspector.viewId, {
      treeDataProvider: this,
      showCollapseAll: true,
    });
    this.disposables.push(
      this.view,
      this.view.onDidChangeVisibility((e) => e.visible && this.stale && void this.refresh()),
    );
    return this;
  }

  /** Packs the workspace again and redraws the tree. */
  async refresh(): Promise<void> {
    if (!this.context.roots().length) {
      this.nodes = [{ id: 'empty', kind: 'info', label: 'Open a folder to see what DeepSeek Repo would send.' }];
      this.emitter.fire();
      return;
    }
    this.stale = false;
    await vscode.window.withProgress(
      { location: { viewId: ContextInspector.viewId }, title: 'Reading the workspace' },
      async () => {
        const settings = readSettings();
        // The budget a new conversation's question packs under, so the view shows what it would send.
        const window = await this.windowOf(settings.model);
        const budget = questionBudget(settings, window);
        this.pack = await this.context.pack({ budgetTokens: budget });
        this.nodes = buildInspectorTree(this.pack, [settings.model, settings.fastModel], new Date());
        const n = (x: number) => x.toLocaleString('en-US');
        if (this.view)
          this.view.message =
            `${n(this.pack.tokens)} tokens of ${n(budget)} ` +
            `available${window === undefined ? '' : ` (${settings.model}: ${n(window)}-token window)`}`;
      },
    );
    this.emitter.fire();
  }

  /** What the view shows now: its tree and its message (the pack's total against the budget). */
  shown(): { nodes: readonly InspectorNode[]; message: string | undefined } {
    return { nodes: this.nodes, message: this.view?.message };
  }

  getChildren(node?: InspectorNode): InspectorNode[] {
    if (!node && this.stale && this.nodes.length === 0) void this.refresh();
    return node ? (node.children ?? []) : this.nodes;
  }

  getTreeItem(node: InspectorNode): vscode.TreeItem {
    const collapsed = node.children?.length
      ? node.kind === 'summary' || (node.kind === 'folder' && this.nodes.length <= 2)
        ? vscode.TreeItemCollapsibleState.Expanded
        : vscode.TreeItemCollapsibleState.Collapsed
      : vscode.TreeItemCollapsibleState.None;
    const item = new vscode.TreeItem(node.label, collapsed);
    item.id = node.id;
    if (node.description) item.description = node.description;
    if (node.tooltip) item.tooltip = node.tooltip;
    const icon =
      node.kind === 'summary'
        ? 'symbol-numeric'
        : node.kind === 'folder'
          ? 'root-folder'
          : node.kind === 'redaction'
            ? 'shield'
            : node.kind === 'info'
              ? 'info'
              : node.status
                ? ICONS[node.status]
                : 'folder';
    if (icon) item.iconPath = new vscode.ThemeIcon(icon);
    item.contextValue = [node.kind, node.canExclude ? 'canExclude' : '', node.canInclude ? 'canInclude' : '']
      .filter(Boolean)
      .join(' ');
    const uri = this.uriOf(node);
    if (uri && (node.kind === 'file' || node.kind === 'redaction')) {
      item.resourceUri = uri;
      item.command = {
        command: 'vscode.open',
        title: 'Open',
        arguments: [uri, node.line ? { selection: new vscode.Range(node.line - 1, 0, node.line - 1, 0) } : {}],
      };
    }
    return item;
  }

  /**
   * Leaves the node's path out of future packs, kept where the user chooses (`to` skips the
   * question: the workspace settings, or .deepseekignore), and says where it went.
   */
  async exclude(node: InspectorNode | undefined, to?: ExcludeTo): Promise<void> {
    if (!node?.root || node.rel === undefined || !node.canExclude) return;
    const target = { rel: node.rel, status: node.status ?? ('included' as const) };
    const settings = readContextSettings();
    const where = excludeIsUndo(target, settings) ? 'setting' : (to ?? (await this.askWhere(node.root, node.rel)));
    if (!where) return;
    const edit = excludeEdit(target, settings, where);
    await this.apply(node.root, edit);
    // the include the user had set is gone: nothing new is kept
    if (edit.kind === 'setting' && edit.key === 'include') return;
    const place =
      where === 'setting'
        ? 'the workspace settings (deepseekRepo.context.exclude): this workspace only, nothing is added to ' +
          'the repository'
        : `${this.ignoreFileLabel(node.root)}, shared with the repository`;
    const open = where === 'setting' ? 'Open Settings' : 'Open .deepseekignore';
    void vscode.window
      .showInformationMessage(`${node.rel} is left out. The exclusion is kept in ${place}.`, open)
      .then(async (a) => {
        if (a === 'Open Settings')
          await vscode.commands.executeCommand(
            'workbench.action.openWorkspaceSettings',
            'deepseekRepo.context.exclude',
          );
        else if (a) await vscode.window.showTextDocument(this.ignoreFile(node.root!)!);
      });
  }

  private async askWhere(rootName: string, rel: string): Promise<ExcludeTo | undefined> {
    type Item = vscode.QuickPickItem & { to: ExcludeTo };
    const items: Item[] = [
      {
        label: '$(settings-gear) Workspace settings',
        description: 'deepseekRepo.context.exclude',
        detail: 'This workspace only: nothing is added to the repository.',
        to: 'setting',
      },
      {
        label: '$(file) .deepseekignore',
        description: this.ignoreFileLabel(rootName),
        detail: 'A file in the repository: everyone who uses DeepSeek Repo on it leaves this out too.',
        to: 'ignoreFile',
      },
    ];
    const pick = await vscode.window.showQuickPick(items, {
      title: `Leave ${rel} out of what DeepSeek Repo sends`,
      placeHolder: 'Where should this exclusion be kept?',
    });
    return pick?.to;
  }

  /** Brings the node's path back into future packs. */
  async include(node: InspectorNode | undefined): Promise<void> {
    if (!node?.root || node.rel === undefined || !node.status) return;
    const edit = includeEdit(
      { rel: node.rel, status: node.status, ...(node.reason ? { reason: node.reason } : {}) },
      readContextSettings(),
      (await this.readIgnoreFile(node.root)) ?? '',
    );
    if (!edit) return void vscode.window.showInformationMessage(`${node.rel} cannot be included (${node.reason}).`);
    await this.apply(node.root, edit);
  }

  dispose(): void {
    this.disposables.forEach((d) => void d.dispose());
  }

  private async apply(rootName: string, edit: ContextEdit): Promise<void> {
    if (edit.kind === 'setting') {
      const current = readContextSettings()[edit.key];
      await writeContextPatterns(edit.key, applyToPatterns(current, edit));
    } else {
      const file = this.ignoreFile(rootName);
      if (!file) return;
      const before = await this.readIgnoreFile(rootName);
      const text = applyToIgnoreText(
        before ?? '# Paths DeepSeek Repo leaves out of what it sends (.gitignore syntax; `!` re-includes).\n',
        edit,
      );
      // No empty or comment-only file is left behind.
      if (hasNoRules(text))
        await vscode.workspace.fs.delete(file, { useTrash: false }).then(undefined, () => undefined);
      else await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(text));
    }
    await this.refresh();
  }

  private ignoreFile(rootName: string): vscode.Uri | undefined {
    const root = this.context.roots().find((r) => r.name === rootName);
    return root && vscode.Uri.file(path.join(root.path, '.deepseekignore'));
  }

  private ignoreFileLabel(rootName: string): string {
    return this.context.roots().length > 1 ? `${rootName}/.deepseekignore` : '.deepseekignore';
  }

  /** The root's .deepseekignore, or undefined when it has none. */
  private async readIgnoreFile(rootName: string): Promise<string | undefined> {
    const file = this.ignoreFile(rootName);
    if (!file) return undefined;
    try {
      return new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
    } catch {
      return undefined;
    }
  }

  private uriOf(node: InspectorNode): vscode.Uri | undefined {
    const root = node.root && this.context.roots().find((r) => r.name === node.root);
    return root && node.rel && !node.rel.endsWith('/') ? vscode.Uri.file(path.join(root.path, node.rel)) : undefined;
  }
}
