// The pickers' model and effort kept per workspace and view (viewChoice.ts): a window reload gives them
// back; a changed default in the settings wins over a choice made against the old one.
import * as assert from 'node:assert/strict';
import { ViewChoices, type ChoiceState } from '../../../src/ui/viewChoice';

/** A Memento over a Map (VS Code's workspace state keeps JSON: values go through it). */
function memento(): ChoiceState & { keys(): string[] } {
  const m = new Map<string, string>();
  return {
    get: <T>(key: string) => (m.has(key) ? (JSON.parse(m.get(key)!) as T) : undefined),
    update: async (key, value) => void (value === undefined ? m.delete(key) : m.set(key, JSON.stringify(value))),
    keys: () => [...m.keys()],
  };
}

const pro = { model: 'deepseek-v4-pro', effort: 'high' } as const;
const flash = { model: 'deepseek-flash', effort: 'off' } as const;

describe('the pickers kept over a reload', () => {
  it('nothing kept: the settings’ default', () => {
    assert.deepEqual(new ViewChoices(memento()).initial('sidebar', pro), pro);
  });

  it('a pick comes back in a new window (a new ViewChoices over the same state), for its own view only', async () => {
    const state = memento();
    await new ViewChoices(state).save('sidebar', flash, pro);
    const next = new ViewChoices(state);
    assert.deepEqual(next.initial('sidebar', pro), flash);
    assert.deepEqual(next.initial('panel', pro), pro);
  });

  it('the settings name another default since the pick: the settings win', async () => {
    const state = memento();
    await new ViewChoices(state).save('sidebar', flash, pro);
    const changed = { model: 'deepseek-v4-pro', effort: 'max' } as const;
    assert.deepEqual(new ViewChoices(state).initial('sidebar', changed), changed);
  });

  it('picking the default again keeps nothing; a malformed value is ignored', async () => {
    const state = memento();
    const choices = new ViewChoices(state);
    await choices.save('sidebar', flash, pro);
    await choices.save('sidebar', pro, pro);
    assert.deepEqual(state.keys(), []);
    await state.update('deepseekRepo.viewChoice.sidebar', { choice: { model: 42 }, against: pro });
    assert.deepEqual(choices.initial('sidebar', pro), pro);
  });
});
