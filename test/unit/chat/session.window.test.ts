// ChatSession and the model's context window: a prompt the server cut, fitting a new conversation to its
// window, asking again in the window a too-long error states, and refusing what does not fit.
import * as assert from 'node:assert/strict';
import { turnsOf } from '../../../src/chat/conversation';
import { MemoryConversationLog } from '../../../src/chat/history';
import { fitWindow, repositoryBudget } from '../../../src/chat/requestPlan';
import { ChatSession, promptCutWarning } from '../../../src/chat/session';
import type { SessionPorts } from '../../../src/chat/sessionTypes';
import { streamChat } from '../../../src/llm/client';
import { cacheAwareReply } from '../../fake-server/cacheModel';
import { roughPromptTokens, type ChatBody, type Reply } from '../../fake-server/server';
import { syntheticRepo } from '../../fakes/memoryRepo';
import { PARAMS, rig, collect, closeRigsAfterEach } from './sessionKit';

describe('chat session', function () {
  closeRigsAfterEach();

  // …and keeps the warning in the history
  it('warns when the server read under half the prompt (a smaller window cut it)', async () => {
    const r = await rig();
    // The rig's server bills what it was sent: no warning.
    const c = collect();
    const end = await r.session().ask('q0', {}, c.on);
    assert.equal(end.outcome, 'complete');
    assert.equal(end.warning, undefined);
    // A server that reads only its 4,096-token window of the prompt, as Ollama does beyond num_ctx.
    const cut: SessionPorts['streamChat'] = async (...args) => {
      const res = await streamChat(...args);
      return res.usage
        ? { ...res, usage: { ...res.usage, promptTokens: 4096, cacheHitTokens: 0, cacheMissTokens: 4096 } }
        : res;
    };
    const log = new MemoryConversationLog();
    const cutEnd = await ChatSession.create({ ...r.ports, streamChat: cut }, log, PARAMS).ask('q1', {}, () => {});
    assert.equal(cutEnd.outcome, 'complete');
    assert.match(
      cutEnd.warning ?? '',
      /^The server read only 4,096 of the ~[\d,]+ prompt tokens sent, .*contextWindowTokens.*num_ctx/,
    );
    assert.equal(
      turnsOf(ChatSession.open(r.ports, log).session.snapshot())[0]!.warning,
      cutEnd.warning,
      'replayed from the history',
    );
  });

  // …a smaller window keeps a quarter for output and an eighth for the conversation
  it('repositoryBudget and fitWindow: unchanged for DeepSeek V4', () => {
    assert.equal(repositoryBudget(32_768), 1_048_576 - 32_768 - 32_768);
    assert.equal(repositoryBudget(32_768, null, 1_048_576), 983_040);
    assert.equal(repositoryBudget(32_768, 500_000), 500_000);
    assert.equal(repositoryBudget(32_768, null, 131_072), 131_072 - 32_768 - 16_384);
    assert.equal(repositoryBudget(32_768, null, 32_768), 32_768 - 8_192 - 4_096);
    assert.equal(repositoryBudget(1_024, null, 4_096), 4_096 - 1_024 - 512);
    assert.equal(repositoryBudget(32_768, 50_000, 32_768), 20_480, 'the budget setting is capped by the window');
    assert.equal(repositoryBudget(32_768, null, 2_000_000), 2_000_000 - 32_768 - 32_768);
    assert.deepEqual(fitWindow(PARAMS, undefined), PARAMS);
    assert.deepEqual(fitWindow(PARAMS, 1_048_576), PARAMS);
    assert.deepEqual(fitWindow({ ...PARAMS, maxTokens: 32_768 }, 65_536), {
      ...PARAMS,
      maxTokens: 16_384,
      windowTokens: 65_536,
    });
    assert.deepEqual(fitWindow(PARAMS, 262_144), { ...PARAMS, windowTokens: 262_144 }, 'an output that fits is kept');
    assert.deepEqual(fitWindow(PARAMS, 2_048), { ...PARAMS, maxTokens: 512, windowTokens: 2_048 });
  });

  // …and keeps it with the conversation
  it("fits a new conversation to its model's window (asked once, before the first request)", async () => {
    const asked: string[] = [];
    // Files that fit the window's budget (the fake repository sends any file left out as added in a follow-up).
    const r = await rig({
      ports: { modelWindow: (model) => (asked.push(model), 16_384) },
      files: syntheticRepo(4, 34_000),
    });
    const budgets: number[] = [];
    const pack = r.repo.pack.bind(r.repo);
    r.repo.pack = (request) => (budgets.push(request.budgetTokens), pack(request));
    const log = new MemoryConversationLog();
    const session = r.session(log);
    const c = collect();
    assert.equal((await session.ask('q0', {}, c.on)).outcome, 'complete');
    assert.deepEqual(asked, ['deepseek-v4-pro']);
    assert.deepEqual(budgets, [16_384 - 4_096 - 2_048]);
    // Output: a quarter of the window (the setting's 8,192 would not leave room); repository: the window less that
    // and an eighth for the conversation.
    assert.deepEqual(session.params, { ...PARAMS, maxTokens: 4_096, windowTokens: 16_384 });
    const ctx = c.of('context')[0]!;
    assert.ok(ctx.repositoryTokens <= 10_240 && ctx.repositoryTokens > 5_000, String(ctx.repositoryTokens));
    const main = r.bodies().at(-1)!;
    assert.equal(main.max_tokens, 4_096);
    assert.equal(main.windowTokens, undefined, 'never sent');
    const q1 = await session.ask('q1', {}, () => {});
    assert.equal(q1.outcome, 'complete', JSON.stringify(q1.error));
    assert.deepEqual(asked, ['deepseek-v4-pro'], 'a follow-up keeps the window');
    const reopened = ChatSession.open(r.ports, log).session;
    assert.deepEqual(reopened.params, session.params, 'the history keeps it');
    await reopened.ask('q2', {}, () => {});
    assert.deepEqual(asked, ['deepseek-v4-pro'], 'an opened conversation is not asked again');
    const long = Array.from({ length: 9_000 }, (_, i) => `w${i * 7919}`).join(' ');
    const grown = await reopened.ask(long, {}, () => {});
    assert.match(
      grown.error?.message ?? '',
      /^This conversation no longer fits the model's 16,384-token window\. Start a new chat/,
    );
    const tooLong = await r.session(new MemoryConversationLog()).ask(long, {}, () => {});
    assert.match(
      tooLong.error?.message ?? '',
      /^This question does not fit the model's 16,384-token window with room for the answer \(max_tokens 4,096\)\. Shorten the question or the selection\.$/,
    );
  });

  it("keeps DeepSeek V4's window when the model's is unknown, V4's own, or cannot be found out", async () => {
    for (const modelWindow of [() => undefined, () => 1_048_576, () => Promise.reject(new Error('no list'))]) {
      const r = await rig({ ports: { modelWindow } });
      const session = r.session();
      assert.equal((await session.ask('q0', {}, () => {})).outcome, 'complete');
      assert.deepEqual(session.params, PARAMS);
      assert.equal(r.bodies().at(-1)!.max_tokens, PARAMS.maxTokens);
    }
  });

  /** A server with a window of `window` tokens (by the fake's bytes/4 count), refusing longer requests as vLLM does. */
  const refusesOver =
    (window: number, reply: (b: ChatBody, i: number) => Reply = cacheAwareReply) =>
    (b: ChatBody, i: number): Reply =>
      roughPromptTokens(b) + b.max_tokens! > window
        ? {
            status: 400,
            body: JSON.stringify({
              object: 'error',
              message:
                `This model's maximum context length is ${window} tokens. However, you requested ` +
                `${roughPromptTokens(b) + b.max_tokens!} tokens.`,
              type: 'BadRequestError',
              code: 400,
            }),
          }
        : reply(b, i);

  // …and tells the runtime
  it('asks again in the window a too-long error states, keeps that window with the conversation', async () => {
    const stated: [string, number][] = [];
    const r = await rig({
      scenario: refusesOver(16_384),
      ports: { windowStated: (model, w) => stated.push([model, w]) },
      files: syntheticRepo(8, 120_000),
    });
    const log = new MemoryConversationLog();
    const session = r.session(log);
    const c = collect();
    const end = await session.ask('q0', {}, c.on);
    assert.equal(end.outcome, 'complete', JSON.stringify(end.error));
    assert.deepEqual(c.of('window'), [
      {
        type: 'window',
        windowTokens: 16_384,
        previousTokens: 1_048_576,
        message:
          "The server says deepseek-v4-pro's context window is 16,384 tokens, not the 1,048,576 this " +
          'question was packed for: packing the repository for it and asking again.',
      },
    ]);
    assert.deepEqual(stated, [['deepseek-v4-pro', 16_384]]);
    assert.deepEqual(session.params, { ...PARAMS, maxTokens: 4_096, windowTokens: 16_384 });
    const contexts = c.of('context');
    assert.deepEqual(
      contexts.map((x) => x.windowTokens),
      [undefined, 16_384],
      'packed again for the stated window',
    );
    assert.ok(
      contexts[1]!.repositoryTokens <= 10_240 && contexts[0]!.repositoryTokens > 16_384,
      `${contexts[0]!.repositoryTokens} then ${contexts[1]!.repositoryTokens}`,
    );
    const bodies = r.bodies();
    assert.equal(
      bodies.filter((b) => roughPromptTokens(b) + b.max_tokens! > 16_384).length,
      1,
      'one refused request (the warm-up), then none',
    );
    assert.equal(bodies.at(-1)!.max_tokens, 4_096);
    assert.deepEqual(
      turnsOf(session.snapshot()).map((t) => [t.question, t.outcome, t.error]),
      [['q0', 'complete', undefined]],
      'the refused try is not a turn',
    );
    const reopened = ChatSession.open(r.ports, log);
    assert.deepEqual(reopened.warnings, []);
    assert.deepEqual(reopened.session.params, session.params, 'the history keeps the stated window');
  });

  it('a first question too large for the stated window is not sent again; its history keeps the refusal', async () => {
    const r = await rig({ scenario: refusesOver(16_384), files: syntheticRepo(4, 34_000) });
    const log = new MemoryConversationLog();
    const c = collect();
    const long = Array.from({ length: 9_000 }, (_, i) => `w${i * 7919}`).join(' ');
    const end = await r.session(log).ask(long, {}, c.on);
    assert.equal(c.of('window').length, 1);
    assert.equal(end.notSent, true);
    assert.match(end.error?.message ?? '', /^This question does not fit the model's 16,384-token window/);
    const last = r.bodies().at(-1)!;
    assert.ok(roughPromptTokens(last) + last.max_tokens! > 16_384, 'nothing was sent after the refused question');
    const turns = turnsOf(ChatSession.open(r.ports, log).session.snapshot());
    assert.deepEqual(
      turns.map((t) => [t.outcome, t.error?.kind]),
      [['error', 'context_too_long']],
    );
  });

  // …the conversation takes the window, a new chat is advised
  it('a follow-up refused for a smaller stated window ends with the error', async () => {
    const stated: number[] = [];
    let refuse = false;
    const r = await rig({
      scenario: (b, i) => (refuse ? refusesOver(16_384)(b, i) : cacheAwareReply(b)),
      ports: { windowStated: (_m, w) => stated.push(w) },
      files: syntheticRepo(8, 120_000),
    });
    const session = r.session();
    assert.equal((await session.ask('q0', {}, () => {})).outcome, 'complete');
    refuse = true; // e.g. the local server was restarted with a smaller context
    const sent = r.bodies().length;
    const c = collect();
    const end = await session.ask('q1', {}, c.on);
    assert.equal(end.error?.kind, 'context_too_long');
    assert.equal(
      end.error?.message,
      "The server says deepseek-v4-pro's context window is 16,384 tokens, not the 1,048,576 this " +
        'conversation was planned for. Start a new chat: it is packed for 16,384 tokens.',
    );
    assert.equal(r.bodies().length - sent, 1, 'not asked again');
    assert.deepEqual([c.of('window').length, stated], [0, [16_384]]);
    assert.equal(session.params.windowTokens, 16_384);
    assert.deepEqual(
      turnsOf(session.snapshot()).map((t) => t.outcome),
      ['complete', 'error'],
    );
  });

  // …then says why it still does not fit
  it('asks again only once, and not for a window no smaller than the one it had', async () => {
    // States 16,384 but refuses anything over 2,000 (as if its tokenizer counted far more than DeepSeek's).
    const refused: Reply = {
      status: 400,
      body: JSON.stringify({ error: { message: "This model's maximum context length is 16384 tokens." } }),
    };
    const r = await rig({
      scenario: (b) => (roughPromptTokens(b) > 2_000 ? refused : cacheAwareReply(b)),
      files: syntheticRepo(4, 34_000),
    });
    const c = collect();
    const session = r.session();
    const end = await session.ask('q0', {}, c.on);
    assert.equal(end.error?.kind, 'context_too_long');
    assert.equal(c.of('window').length, 1);
    assert.equal(
      end.error?.message,
      "The request does not fit the model's 16,384-token window by the model's own tokenizer, though it does " +
        "by DeepSeek's, which sized it: lower deepseekRepo.contextBudgetTokens (CLI: --budget), then ask in a " +
        'new chat.',
    );
    assert.equal(r.bodies().length, 2, 'the first try and one more');
    const again = await session.ask('q1', {}, c.on);
    assert.equal(again.error?.kind, 'context_too_long');
    assert.equal(c.of('window').length, 1, 'the same window is not taken again');
  });

  it('promptCutWarning: only for a long prompt billed at under half its tokens', () => {
    const usage = (promptTokens: number) => ({
      promptTokens,
      cacheHitTokens: 0,
      cacheMissTokens: promptTokens,
      completionTokens: 10,
    });
    assert.match(promptCutWarning(100_000, usage(4096)) ?? '', /read only 4,096 of the ~100,000 prompt tokens/);
    assert.ok(promptCutWarning(100_000, usage(49_999)));
    assert.equal(
      promptCutWarning(100_000, usage(50_000)),
      undefined,
      'another tokenizer counts differently, never half',
    );
    assert.equal(promptCutWarning(7_999, usage(100)), undefined, 'short prompts are not judged');
    assert.equal(promptCutWarning(100_000, usage(0)), undefined, 'a server that reports no prompt tokens');
    assert.equal(promptCutWarning(100_000, undefined), undefined);
  });

  it('refuses a question that does not fit the window, without sending or saving it', async () => {
    const r = await rig();
    const log = new MemoryConversationLog();
    const end = await r
      .session(log)
      .ask(Array.from({ length: 450_000 }, (_, i) => `w${i * 7919}`).join(' '), {}, () => {});
    assert.equal(end.error?.kind, 'context_too_long');
    assert.equal(end.notSent, true);
    assert.equal(r.bodies().length, 0);
    assert.equal(log.events.length, 0);
  });
});
