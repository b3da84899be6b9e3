// VS Code's side of the composer's `@` completion (mentionCompleter.ts): the walk's file list and our own
// symbol index from the window's ContextService (its engine's), and workspace symbols from the language
// servers through `vscode.executeWorkspaceSymbolProvider`. Where no language server is installed for a
// language, or none answers in time, the completion still lists our index's symbols.
import * as vscode from 'vscode';
import type { ContextService } from './contextService';
import { MentionCompleter, type FoundSymbol } from './mentionCompleter';

/** How long the language servers may take to answer a symbol search (ms) before our symbols are shown alone. */
const SYMBOL_TIMEOUT_MS = 1500;

async function workspaceSymbols(query: string): Promise<FoundSymbol[]> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('no language server answered in time')), SYMBOL_TIMEOUT_MS);
  });
  try {
    const found = await Promise.race([
      vscode.commands.executeCommand<(vscode.SymbolInformation | undefined)[] | undefined>(
        'vscode.executeWorkspaceSymbolProvider',
        query,
      ),
      late,
    ]);
    return (found ?? []).flatMap((s) =>
      s?.location.uri.scheme === 'file'
        ? [
            {
              name: s.name,
              ...(s.containerName ? { container: s.containerName } : {}),
              kind: (vscode.SymbolKind[s.kind] ?? 'symbol').toLowerCase(),
              file: s.location.uri.fsPath,
              line: s.location.range.start.line + 1,
            },
          ]
        : [],
    );
  } finally {
    clearTimeout(timer);
  }
}

/** The window's `@` completion: one index for every chat view, rebuilt when the workspace's files change. */
export function mentionCompleter(context: ContextService): MentionCompleter & vscode.Disposable {
  const completer = new MentionCompleter({
    listFiles: () => context.listFiles(),
    roots: () => context.roots(),
    symbolIndex: () => context.symbols(),
    symbols: workspaceSymbols,
  });
  const sub = context.onDidChange(() => completer.invalidate());
  return Object.assign(completer, { dispose: () => void sub.dispose() });
}
