// "Fix with DeepSeek" in the editor's light bulb (Ctrl/Cmd+.): a quick fix on the errors and
// warnings under the cursor that runs Fix Problems for just those, with the whole repository as
// context as always. Not offered in Restricted Mode, where nothing is sent.
import * as vscode from 'vscode';

export class FixWithDeepSeek implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
  };

  provideCodeActions(
    document: vscode.TextDocument,
    _range: vscode.Range,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    if (!vscode.workspace.isTrusted || document.uri.scheme !== 'file') return [];
    if (context.only && !vscode.CodeActionKind.QuickFix.intersects(context.only)) return [];
    const problems = context.diagnostics.filter((d) => d.severity <= vscode.DiagnosticSeverity.Warning);
    if (problems.length === 0) return [];
    const action = new vscode.CodeAction(
      problems.length === 1 ? 'Fix with DeepSeek' : `Fix ${problems.length} Problems with DeepSeek`,
      vscode.CodeActionKind.QuickFix,
    );
    action.diagnostics = problems;
    action.command = { command: 'deepseekRepo.fixProblems', title: action.title, arguments: [document.uri, problems] };
    return [action];
  }
}
