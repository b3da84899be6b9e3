// The chat's actions on agent turns, without vscode: Undo a turn's changes to files. What was
// written is in the conversation's history (each applied change set's texts), so it works after a
// reload too; the files themselves are restored through the `undoFiles` port.
import type { UndoStep } from '../chat/agent/undo';
import type { SessionBackend } from './sessionBackend';
import type { HandlersOf } from './viewPorts';

export interface AgentActionDeps {
  backend: SessionBackend;
  /** Restores the files (asking before overwriting one changed since); resolves with what was done. */
  undoFiles(steps: UndoStep[]): Promise<string>;
  info(message: string): void;
  busy(): boolean;
}

export function agentActions(deps: AgentActionDeps): HandlersOf<'undoTurn'> {
  return {
    undoTurn: async (m) => {
      if (deps.busy()) return deps.info('An answer is still streaming: stop it before undoing changes.');
      const steps = deps.backend.undoSteps(m.index);
      if (!steps.length) return deps.info('This turn changed no file.');
      deps.info(await deps.undoFiles(steps));
    },
  };
}
