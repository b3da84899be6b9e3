// What an editor command reads from the editor before it asks: the file it is about, the selected
// code, the file's problems, how the workspace tests, each gathered under a cancellable progress
// notification where it may take a while, and a clear word when what it needs is missing.
// Used by taskCommands.ts; the prompts are built from them in src/chat/tasks.ts.
import * as vscode from 'vscode';
import * as tasks from '../chat/tasks';
import { diagnosticFacts } from './diagnostics';
import { packLabel, selectedLines } from './editorFocus';

/** Runs `work` under a cancellable progress notification; undefined when the user cancelled. */
export async function gathering<T>(title: string, work: () => Promise<T>): Promise<T | undefined> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    async (_p, token) => {
      const cancelled = new Promise<undefined>((resolve) => token.onCancellationRequested(() => resolve(undefined)));
      return Promise.race([work(), cancelled]);
    },
  );
}

/** The active editor when it shows a file (not an untitled buffer). */
export function fileEditor(): vscode.TextEditor | undefined {
  const e = vscode.window.activeTextEditor;
  return e && !e.document.isUntitled ? e : undefined;
}

/** The file a command is about: the explorer's selection, else the active editor's file. */
export function targetFile(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  return fileEditor()?.document.uri;
}

/** The editor's selection as whole lines, with its file and language. */
export function selectionSpan(editor: vscode.TextEditor): tasks.CodeSpan {
  const { startLine, endLine } = selectedLines(editor.selection);
  const range = new vscode.Range(startLine - 1, 0, endLine - 1, editor.document.lineAt(endLine - 1).text.length);
  return {
    path: packLabel(editor.document.uri),
    absPath: editor.document.uri.fsPath,
    language: editor.document.languageId,
    startLine,
    endLine,
    text: editor.document.getText(range),
  };
}

/** The editor with a non-empty selection, or undefined after telling the user what to do. */
export async function selectionOrExplain(
  what: string,
  alternative?: { label: string; command: string },
): Promise<vscode.TextEditor | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showWarningMessage(`Open a file and select the code ${what} first.`);
    return undefined;
  }
  if (editor.selection.isEmpty) {
    const actions = alternative ? [alternative.label] : [];
    void vscode.window
      .showWarningMessage(`Select the code ${what} first.`, ...actions)
      .then((a) => a && alternative && vscode.commands.executeCommand(alternative.command, editor.document.uri));
    return undefined;
  }
  return editor;
}

/**
 * The errors and warnings of `uri`, in file order: `only` when it is a list of diagnostics (the quick
 * fix passes those under the cursor), else all the file has.
 */
export function problemsOf(uri: vscode.Uri, only: unknown): tasks.Problem[] {
  const chosen =
    Array.isArray(only) && only.length > 0 && only.every((d) => d instanceof vscode.Diagnostic) ? only : undefined;
  return (chosen ?? vscode.languages.getDiagnostics(uri))
    .filter((d) => d.severity <= vscode.DiagnosticSeverity.Warning)
    .sort((a, b) => a.range.start.compareTo(b.range.start))
    .map((d) => ({ ...diagnosticFacts(d), endLine: d.range.end.line + 1, endColumn: d.range.end.character + 1 }));
}

/** How the workspace tests: its file list and manifests (package.json, pyproject.toml, Cargo.toml). */
export async function testStyle(): Promise<string> {
  const files = await vscode.workspace.findFiles(
    '**/*',
    '{**/node_modules/**,**/.git/**,**/dist/**,**/build/**,**/target/**,**/.venv/**}',
    20_000,
  );
  const manifests: Record<string, string> = {};
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    for (const name of ['package.json', 'pyproject.toml', 'Cargo.toml']) {
      if (manifests[name]) continue;
      try {
        manifests[name] = new TextDecoder().decode(
          await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder.uri, name)),
        );
      } catch {
        // not there
      }
    }
  }
  return tasks.describeTestStyle(files.map(packLabel).sort(), manifests);
}
