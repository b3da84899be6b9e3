// Stop: the panel's Stop button posts `cancel`; the host must abort the HTTP request itself (the fake
// server sees the connection close), keep what was streamed, and end the turn as cancelled.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FakeServer } from '../../fake-server/server';
import type { TestingApi } from '../../../src/ui/testHooks';
import { API_KEY, conversation, fakeDeepSeek, requestsFor, testingApi, waitFor } from './harness';

describe('Stop', () => {
  const question = 'Explain everything, slowly.';
  let api: TestingApi;
  let server: FakeServer;

  before(async () => {
    api = await testingApi();
    // A first piece of the answer, then the server goes quiet for a minute (keep-alives only).
    server = await fakeDeepSeek({
      scenario: () => ({
        steps: [
          { kind: 'content', text: 'The first part of a long answer.' },
          ...Array.from({ length: 60 }, () => [
            { kind: 'wait', ms: 1000 } as const,
            { kind: 'keepalive' } as const,
          ]).flat(),
          { kind: 'content', text: 'This part must never arrive.' },
          { kind: 'finish', reason: 'stop' },
          { kind: 'done' },
        ],
      }),
    });
    await api.setApiKey(API_KEY);
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await server.close();
  });

  it('cancels the request: the server sees the connection close and the turn ends as cancelled', async () => {
    const since = api.messages.length;
    const panel = conversation(api, 'panel', since);
    const asked = vscode.commands.executeCommand('deepseekRepo.ask', question);
    const requestId = await waitFor('the turn to start', () => panel.requestIdOf(question));
    await waitFor('the first part of the answer', () => panel.turn(question)?.answer.includes('first part'));
    const request = requestsFor(server, question)[0];
    assert.ok(request && !request.aborted && !request.finished, 'the request should still be streaming');

    assert.ok(api.deliver('panel', { type: 'cancel', requestId }));
    await waitFor('the fake server to see the connection close', () => request.aborted);
    const end = await waitFor('the end of the turn', () => panel.ended(question));
    assert.equal(end.outcome, 'cancelled');
    await asked;
    assert.equal(end.answer, 'The first part of a long answer.', 'what was streamed is kept');
    assert.equal(requestsFor(server, question).length, 1, 'a cancelled request must not be retried');
  });
});
