// The editor commands in the real extension host, against the fake DeepSeek server: what each sends
// (the repository block first and byte-identical from one command to the next, even after a file
// changed; the task-specific context last), on which model, what the panel shows, how a `path:line`
// reference in an answer opens the editor, and how they degrade (no selection, nothing staged). Git
// runs for real on a repository made from the fixture.
import { commandsKit } from './commandsKit';
import { reviewCommands } from './commands.review.test';
import { applyCommands } from './commands.apply.test';
import { newFileCommands } from './commands.newFile.test';
import { changeCardCommands } from './commands.changeCards.test';

describe('editor commands', () => {
  const k = commandsKit();
  reviewCommands(k);
  applyCommands(k);
  newFileCommands(k);
  changeCardCommands(k);
});
