// A VS Code diagnostic as the core reads a problem (1-based line and column, severity as a word,
// source and code as text): one conversion shared by Fix Problems (taskInputs.ts) and the agent's
// get_problems port (agentPorts.ts).
import * as vscode from 'vscode';
import type { Problem } from '../chat/agent/ports';

/** A problem's facts but its path (the agent's `Problem`; Fix Problems adds where it ends). */
export type DiagnosticFacts = Omit<Problem, 'path'>;

const SEVERITY: Record<vscode.DiagnosticSeverity, DiagnosticFacts['severity']> = {
  [vscode.DiagnosticSeverity.Error]: 'error',
  [vscode.DiagnosticSeverity.Warning]: 'warning',
  [vscode.DiagnosticSeverity.Information]: 'info',
  [vscode.DiagnosticSeverity.Hint]: 'hint',
};

/** Where `d` starts, how severe it is and what it says. */
export function diagnosticFacts(d: vscode.Diagnostic): DiagnosticFacts {
  return {
    line: d.range.start.line + 1,
    column: d.range.start.character + 1,
    severity: SEVERITY[d.severity],
    message: d.message,
    ...(d.source ? { source: d.source } : {}),
    ...(d.code !== undefined ? { code: String(typeof d.code === 'object' ? d.code.value : d.code) } : {}),
  };
}
