// What the chat's buttons and links ask of the editor: a code block's Copy, Insert, Apply and New
// File, a file reference or a web link, and the buttons that open a command (Set API Key, Context
// Settings, Workspace Trust, the Context view), and the Accept / Reject / Undo of a change set under
// an answer. Only http(s) links leave VS Code. No vscode: the editor is a `Workbench` port
// (chatController.ts implements it with codeActions.ts and changeReview.ts).
import type { ViewChannel } from './viewChannel';
import type { HandlersOf, Workbench } from './viewPorts';

type ActionType =
  | 'setApiKey'
  | 'openContextSettings'
  | 'manageTrust'
  | 'showContext'
  | 'openLink'
  | 'openFile'
  | 'copy'
  | 'insertCode'
  | 'applyCode'
  | 'decideChanges'
  | 'undoChanges'
  | 'showChanges'
  | 'newFile';

/** The handlers of the chat's editor actions over `workbench`; `channel` shows a change set under its answer. */
export function viewActions(workbench: Workbench, channel: ViewChannel): HandlersOf<ActionType> {
  return {
    setApiKey: () => workbench.command('deepseekRepo.setApiKey'),
    // The window and budget settings, and include/exclude (all under deepseekRepo.context…).
    openContextSettings: () => workbench.command('workbench.action.openSettings', 'deepseekRepo.context'),
    manageTrust: () => workbench.command('workbench.trust.manage'),
    showContext: () => workbench.command('deepseekRepo.showContext'),
    openLink: async (m) => {
      if (/^https?:\/\//i.test(m.href)) await workbench.openExternal(m.href);
    },
    openFile: (m) => workbench.openFile(m),
    copy: (m) => workbench.copy(m.text),
    insertCode: (m) => workbench.insertAtCursor(m.code),
    applyCode: (m) => {
      const turn = m.turn ?? channel.transcript.turns.length - 1;
      return workbench.apply(m.code, m.path, (changes) => {
        if (turn >= 0) channel.post({ type: 'changes', turn, changes });
      });
    },
    decideChanges: (m) => workbench.decideChanges(m.id, { accept: m.accept, ...(m.path ? { path: m.path } : {}) }),
    undoChanges: (m) => workbench.undoChanges(m.id),
    showChanges: (m) => workbench.showChanges(m.id),
    newFile: (m) => workbench.newFile(m.code, m.language, m.path),
  };
}
