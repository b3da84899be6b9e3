// The model and thinking effort a chat view's pickers hold for its next conversation, kept per workspace
// and view, so a window reload gives the pickers back as the user left them (the view's mode is kept the
// same way, agentMode.ts). A choice is kept with the settings' default it was made against: when the
// settings name another default since, the settings win, because the user has just said what they want.
// No vscode import: the host gives it the workspace's Memento, the unit tests a Map.
import type { Effort, Surface } from '../protocol/messages';

/** A model and an effort: a pick, or the settings' default. */
export interface Choice {
  model: string;
  effort: Effort;
}

/** What a Memento offers (VS Code's workspace state). */
export interface ChoiceState {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

interface Kept {
  choice: Choice;
  /** The settings' default when the choice was made. */
  against: Choice;
}

const key = (surface: Surface) => `deepseekRepo.viewChoice.${surface}`;
const same = (a: Choice, b: Choice) => a.model === b.model && a.effort === b.effort;

/** The pickers' choices of each view, kept in `state`. */
export class ViewChoices {
  constructor(private readonly state: ChoiceState) {}

  /** What the view's pickers start with: the kept choice, unless the settings' default changed since it was made. */
  initial(surface: Surface, defaults: Choice): Choice {
    const kept = this.state.get<Kept>(key(surface));
    const valid = typeof kept?.choice?.model === 'string' && typeof kept.choice.effort === 'string' && kept.against;
    return valid && same(kept.against, defaults) ? { model: kept.choice.model, effort: kept.choice.effort } : defaults;
  }

  /** Keeps `choice` (made while the settings' default is `defaults`); the default itself keeps nothing. */
  async save(surface: Surface, choice: Choice, defaults: Choice): Promise<void> {
    const kept: Kept | undefined = same(choice, defaults) ? undefined : { choice, against: defaults };
    await this.state.update(key(surface), kept);
  }
}
