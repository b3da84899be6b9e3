// One cost figure per turn: a first question on a repository large enough for a
// cache warm-up costs the warm-up plus the answer, and that one figure is what the live chip, the
// status bar, the conversation reopened from History and the Markdown export all show. Before, the
// live chip and the status bar showed the answer alone ($0.03) and History the sum ($0.23).
import * as assert from 'node:assert/strict';
import { formatUsd } from '../../../src/llm/cost';
import type { HostToWebview } from '../../../src/protocol/messages';
import { syntheticRepo } from '../../fakes/memoryRepo';
import { readyKitEach, type Kit } from './chatViewKit';

type Msg<T extends HostToWebview['type']> = Extract<HostToWebview, { type: T }>;

describe('chat view: one cost figure per turn', () => {
  let kit: Kit;
  readyKitEach(
    (k) => (kit = k),
    () => ({ files: syntheticRepo(10, 40_000) }),
  );

  it('shows the turn with its warm-up, the same live, in the status bar, reopened and exported', async () => {
    await kit.view.receive({ type: 'ask', question: 'Where is the config read?' });
    const posted = kit.take();
    const warmups = kit.server.chatRequests().filter((r) => r.body?.max_tokens === 1);
    assert.equal(warmups.length, 1, 'the first question warmed the cache');
    const live = posted.find((m) => m.type === 'usage')!.usage;
    const end = posted.at(-1) as Msg<'end'>;
    assert.ok(live.warmupUsd! > 0, 'the warm-up is in the figure');
    assert.ok(live.costUsd! > live.warmupUsd!);
    assert.deepEqual(
      kit.costs,
      [{ usage: live, total: live.costUsd }],
      'the status bar: the turn, and the conversation',
    );

    await kit.view.receive({ type: 'newChat' });
    await kit.view.receive({ type: 'openConversation', id: end.conversationId! });
    const replay = kit.take().findLast((m) => m.type === 'replay')!;
    assert.deepEqual(replay.conversation.turns[0]!.usage, live, 'reopened from History');

    await kit.view.receive({ type: 'exportConversation', id: end.conversationId! });
    assert.ok(kit.markdown[0]!.includes(formatUsd(live.costUsd!)), kit.markdown[0]);
  });
});
