// What the webview's code-block and link actions do in the editor: Copy, Insert at Cursor, Apply
// (through changeReview.ts), New File, and opening `path:line` references. Paths from model output
// are resolved only inside the workspace folders (pathGuard.ts).
import * as vscode from 'vscode';
import { candidatePaths, resolveExistingFile, type Root } from './pathGuard';
import { proposedText } from '../protocol/editBlocks';
import type { ChangeReview, ReviewOptions } from './changeReview';
import { workspaceRoots } from './workspaceGate';

const LANGUAGE_IDS: Record<string, string> = {
  ts: 'typescript',
  tsx: 'typescriptreact',
  js: 'javascript',
  jsx: 'javascriptreact',
  py: 'python',
  sh: 'shellscript',
  bash: 'shellscript',
  zsh: 'shellscript',
  shell: 'shellscript',
  yml: 'yaml',
  rs: 'rust',
  rb: 'ruby',
  cs: 'csharp',
  kt: 'kotlin',
  md: 'markdown',
  'c++': 'cpp',
  golang: 'go',
};

const roots = (): Root[] => workspaceRoots();

/** Remembers the last text editor, since focusing the webview panel clears `activeTextEditor`. */
export class EditorTracker implements vscode.Disposable {
  private last: vscode.TextEditor | undefined = vscode.window.activeTextEditor;
  private readonly sub = vscode.window.onDidChangeActiveTextEditor((e) => e && (this.last = e));
  get editor(): vscode.TextEditor | undefined {
    const e = vscode.window.activeTextEditor ?? this.last;
    return e && vscode.window.visibleTextEditors.includes(e) ? e : vscode.window.visibleTextEditors[0];
  }
  dispose(): void {
    this.sub.dispose();
  }
}

export async function copyText(text: string): Promise<void> {
  await vscode.env.clipboard.writeText(text);
  vscode.window.setStatusBarMessage('$(check) Copied', 2000);
}

/** Replaces each selection of the last used editor with `code`. */
export async function insertAtCursor(tracker: EditorTracker, code: string): Promise<void> {
  const editor = tracker.editor;
  if (!editor)
    return void vscode.window.showWarningMessage(
      'Open a file in the editor first: Insert at Cursor puts the code where its cursor is.',
    );
  await vscode.window.showTextDocument(editor.document, { viewColumn: editor.viewColumn, preserveFocus: false });
  await editor.edit((b) => editor.selections.forEach((s) => b.replace(s, code)));
}

async function languageId(lang: string | undefined): Promise<string | undefined> {
  if (!lang) return undefined;
  const id = LANGUAGE_IDS[lang.toLowerCase()] ?? lang.toLowerCase();
  return (await vscode.languages.getLanguages()).includes(id) ? id : undefined;
}

/** Opens `code` in a new untitled editor (at `path` when it names a new file in the workspace). */
export async function newFileWith(code: string, language?: string, path?: string): Promise<void> {
  const target = path ? candidatePaths(path, roots())[0] : undefined;
  if (path && target && !resolveExistingFile(path, roots())) {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(target).with({ scheme: 'untitled' }));
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One });
    await editor.edit((b) => b.insert(new vscode.Position(0, 0), code));
    return;
  }
  const lang = await languageId(language);
  const doc = await vscode.workspace.openTextDocument({ content: code, ...(lang ? { language: lang } : {}) });
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One });
}

/** Opens a workspace file at a 1-based line (and column / end line); refuses paths outside the workspace. */
export async function openFileRef(ref: {
  path: string;
  line?: number;
  endLine?: number;
  column?: number;
}): Promise<void> {
  const file = resolveExistingFile(ref.path, roots());
  if (!file) return void vscode.window.showWarningMessage(`"${ref.path}" is not a file in this workspace.`);
  const line = Math.max(0, (ref.line ?? 1) - 1);
  const start = new vscode.Position(line, Math.max(0, (ref.column ?? 1) - 1));
  const end = ref.endLine && ref.endLine > line ? new vscode.Position(ref.endLine - 1, 0) : start;
  await vscode.window.showTextDocument(vscode.Uri.file(file), {
    viewColumn: vscode.ViewColumn.One,
    selection: new vscode.Range(start, end),
    preview: true,
  });
}

/**
 * Apply: picks the target (the fence's `path=`, else asks), then opens the review of what the block
 * does to it (a diff; Accept and Reject in the chat through `review.onUpdate`). Resolves once decided.
 */
export async function applyCode(
  changes: ChangeReview,
  tracker: EditorTracker,
  code: string,
  opts: { path?: string; review?: ReviewOptions } = {},
): Promise<void> {
  let target: { uri: vscode.Uri; replaceAll?: boolean } | undefined;
  if (opts.path) {
    const abs = resolveExistingFile(opts.path, roots()) ?? candidatePaths(opts.path, roots())[0];
    if (!abs)
      return void vscode.window.showWarningMessage(
        `"${opts.path}" is outside this workspace; the change was not applied.`,
      );
    target = { uri: vscode.Uri.file(abs) };
  } else target = await pickTarget(tracker, code);
  if (!target) return;
  const replaceAll = !!target.replaceAll;
  await changes.propose(
    { files: [{ uri: target.uri, make: (now) => proposedText(code, now, { replaceAll }) }] },
    opts.review,
  );
}

/**
 * Asks which file a block without a `path=` goes to. Each offered file says what Apply would do to
 * it (a snippet is merged where it belongs); replacing a whole file with a block that is only part
 * of it is offered last, on its own, and says what it deletes.
 */
async function pickTarget(
  tracker: EditorTracker,
  code: string,
): Promise<{ uri: vscode.Uri; replaceAll?: boolean } | undefined> {
  type Item = vscode.QuickPickItem & { uri?: vscode.Uri; replaceAll?: boolean };
  const seen = new Set<string>();
  const items: Item[] = [];
  const wholeChoices: Item[] = [];
  const add = (doc: vscode.TextDocument, description: string) => {
    const uri = doc.uri;
    if (uri.scheme !== 'file' || seen.has(uri.toString())) return;
    seen.add(uri.toString());
    const label = vscode.workspace.asRelativePath(uri);
    const text = doc.getText();
    const plan = proposedText(code, text);
    const how = plan.ok ? plan.how : undefined;
    items.push({ label, description, uri, ...(how ? { detail: how.summary } : {}) });
    if (how?.kind === 'merge' && !wholeChoices.length) {
      const all = proposedText(code, text, { replaceAll: true });
      wholeChoices.push({
        label: `$(warning) Replace all of ${label} with the block`,
        detail: all.ok && all.how ? `${all.how.summary}: the rest of the file is deleted` : undefined,
        uri,
        replaceAll: true,
      });
    }
  };
  if (tracker.editor) add(tracker.editor.document, 'current editor');
  for (const e of vscode.window.visibleTextEditors) add(e.document, 'open');
  items.push({ label: '$(folder-opened) Choose a file…' });
  if (wholeChoices.length) items.push({ label: '', kind: vscode.QuickPickItemKind.Separator }, ...wholeChoices);
  const pick = await vscode.window.showQuickPick(items, {
    title: 'Apply the code block to which file?',
    placeHolder: 'The change opens as a diff first; nothing is written until you accept it',
    matchOnDetail: true,
  });
  if (!pick) return undefined;
  if (pick.uri) return { uri: pick.uri, ...(pick.replaceAll ? { replaceAll: true } : {}) };
  const chosen = await vscode.window.showOpenDialog({
    canSelectMany: false,
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    title: 'Apply the code block to',
  });
  return chosen?.[0] && { uri: chosen[0] };
}
