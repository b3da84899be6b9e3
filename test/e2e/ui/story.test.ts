// The UI suite: a person's first session with the installed .vsix in a real VS Code. Open the fixture,
// F1 → "DeepSeek: Ask About Repository", type a question, give the API key when asked, watch the answer
// stream into the panel, ask follow-ups in the sidebar, look at both in three themes, reload, and look
// for the conversation again. Steps share one browser page and run in order; once one fails, the later
// ones fail at once instead of timing out one by one. Screenshots go to $E2E_ARTIFACTS.
import { storyKit } from './storyKit';
import { askSteps } from './story.ask.test';
import { reloadSteps } from './story.reload.test';
import { applySteps } from './story.apply.test';
import { keyboardSteps } from './story.keyboard.test';

describe('a person using DeepSeek Repo in VS Code', function () {
  const s = storyKit();
  askSteps(s);
  reloadSteps(s);
  applySteps(s);
  keyboardSteps(s);
});
