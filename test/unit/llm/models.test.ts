// listModels: the ids from GET /models for the model picker, or a clear error when the endpoint
// cannot be reached or answers with something else.
import * as assert from 'node:assert/strict';
import { listModels, mayReportWindows, runningWindow } from '../../../src/llm/models';
import { startFakeDeepSeek } from '../../fake-server/server';
import { KEY, memoryLogger, scriptedFetch } from './kit';

describe('listModels', () => {
  it('lists the ids the server offers, in its order, without duplicates', async () => {
    const server = await startFakeDeepSeek({
      apiKeys: [KEY],
      models: ['deepseek-v4-pro', 'deepseek-flash', 'deepseek-flash'],
    });
    try {
      const logger = memoryLogger();
      assert.deepEqual(await listModels({ baseUrl: server.url, apiKey: KEY, logger }), {
        ok: true,
        models: ['deepseek-v4-pro', 'deepseek-flash'],
        windows: new Map(),
      });
      assert.equal(server.requests[0]!.path, '/models');
      assert.equal(server.requests[0]!.method, 'GET');
      assert.ok(!logger.lines.join('\n').includes(KEY));
    } finally {
      await server.close();
    }
  });

  it('a local server is listed without a key; a remote one without a key is a config error, nothing sent', async () => {
    const server = await startFakeDeepSeek({ models: ['qwen3-coder:30b'] });
    try {
      assert.match(server.url, /^http:\/\/127\.0\.0\.1:/);
      assert.deepEqual(await listModels({ baseUrl: server.url, apiKey: '' }), {
        ok: true,
        models: ['qwen3-coder:30b'],
        windows: new Map(),
      });
      const { fetch, calls } = scriptedFetch(new Response('{}'));
      const remote = await listModels({ baseUrl: 'https://api.deepseek.com', apiKey: '', fetch });
      assert.ok(!remote.ok && remote.error.kind === 'config');
      assert.equal(calls.length, 0);
    } finally {
      await server.close();
    }
  });

  it('reads the context window each server reports, in its own field, and ignores what is not a window', async () => {
    const server = await startFakeDeepSeek({
      models: [
        { id: 'deepseek/deepseek-v4-pro', context_length: 1_048_576 }, // OpenRouter, Together
        { id: 'Qwen/Qwen3-Coder-30B', max_model_len: 32_768 }, // vLLM
        { id: 'llama-3.3-70b', context_window: 131_072 }, // Groq
        { id: 'mistral-large', max_context_length: 131_000 }, // Mistral, LM Studio
        { id: 'no-window' },
        { id: 'as-text', context_length: '32768' },
        { id: 'too-small', context_length: 512 },
        { id: 'fraction', context_length: 32_768.5 },
        { id: '__proto__', context_length: 4_096 },
      ],
    });
    try {
      const r = await listModels({ baseUrl: server.url, apiKey: '' });
      assert.ok(r.ok);
      assert.equal(r.models.length, 9);
      assert.deepEqual(
        [...r.windows],
        [
          ['deepseek/deepseek-v4-pro', 1_048_576],
          ['Qwen/Qwen3-Coder-30B', 32_768],
          ['llama-3.3-70b', 131_072],
          ['mistral-large', 131_000],
          ['__proto__', 4_096],
        ],
      );
      assert.equal(r.windows.get('constructor'), undefined);
    } finally {
      await server.close();
    }
  });

  it("only another endpoint than DeepSeek's own is asked for windows", () => {
    assert.equal(mayReportWindows('https://api.deepseek.com'), false);
    assert.equal(mayReportWindows('https://api.deepseek.com/v1'), false);
    assert.equal(mayReportWindows('not a url'), false);
    assert.equal(mayReportWindows('https://openrouter.ai/api/v1'), true);
    assert.equal(mayReportWindows('http://localhost:11434/v1'), true);
    assert.equal(mayReportWindows('https://api.deepseek.com.evil.example'), true);
  });

  it('reads the window Ollama runs a loaded model with (GET /api/ps), only where it may be Ollama', async () => {
    const server = await startFakeDeepSeek({
      models: ['qwen3-coder:30b', 'llama3'],
      running: [
        { name: 'qwen3-coder:30b', model: 'qwen3-coder:30b', context_length: 8_192 },
        { name: 'llama3:latest', context_length: 32_768 },
        { name: 'odd', context_length: 'big' },
      ],
    });
    try {
      const base = `${server.url}/v1`;
      assert.equal(await runningWindow({ baseUrl: base }, 'qwen3-coder:30b'), 8_192);
      assert.equal(await runningWindow({ baseUrl: base }, 'llama3'), 32_768, 'the :latest tag is implied');
      assert.equal(await runningWindow({ baseUrl: base }, 'mistral:7b'), undefined, 'not loaded');
      assert.equal(await runningWindow({ baseUrl: base }, 'odd'), undefined, 'not a window');
      assert.equal(server.requests.filter((r) => r.method === 'GET' && r.path === '/api/ps').length, 4);
    } finally {
      await server.close();
    }
    const plain = await startFakeDeepSeek(); // any other server: 404
    try {
      assert.equal(await runningWindow({ baseUrl: plain.url }, 'qwen3-coder:30b'), undefined);
    } finally {
      await plain.close();
    }
    // A remote endpoint not on Ollama's port is never asked; one on it is.
    const remote = scriptedFetch(
      new Response(JSON.stringify({ models: [{ name: 'qwen3-coder:30b', context_length: 16_384 }] }), {
        headers: { 'content-type': 'application/json' },
      }),
    );
    assert.equal(
      await runningWindow({ baseUrl: 'https://openrouter.ai/api/v1', fetch: remote.fetch }, 'qwen3-coder:30b'),
      undefined,
    );
    assert.equal(remote.calls.length, 0);
    assert.equal(
      await runningWindow({ baseUrl: 'http://gpu-box.lan:11434/v1', fetch: remote.fetch }, 'qwen3-coder:30b'),
      16_384,
    );
    assert.deepEqual(
      remote.calls.map((c) => c.url),
      ['http://gpu-box.lan:11434/api/ps'],
    );
    assert.equal(remote.calls[0]!.headers.get('authorization'), null, 'no key set, none sent');
    await runningWindow(
      { baseUrl: 'http://gpu-box.lan:11434/v1', apiKey: KEY, fetch: remote.fetch },
      'qwen3-coder:30b',
    );
    assert.equal(
      remote.calls[1]!.headers.get('authorization'),
      `Bearer ${KEY}`,
      'a set key goes where the chat requests go',
    );
    const down = scriptedFetch(new TypeError('fetch failed'));
    assert.equal(await runningWindow({ baseUrl: 'http://localhost:11434/v1', fetch: down.fetch }, 'x'), undefined);
  });

  it('a rejected key is an auth error', async () => {
    const server = await startFakeDeepSeek({ apiKeys: [KEY] });
    try {
      const r = await listModels({ baseUrl: server.url, apiKey: 'sk-wrong-0000000000' });
      assert.equal(r.ok, false);
      assert.equal(!r.ok && r.error.kind, 'auth');
    } finally {
      await server.close();
    }
  });

  it('an unreachable endpoint says so, a server without /models says to type the id', async () => {
    const down = await listModels({
      baseUrl: 'https://api.deepseek.com',
      apiKey: KEY,
      fetch: scriptedFetch(
        new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code: 'ENOTFOUND' }) }),
      ).fetch,
    });
    assert.ok(
      !down.ok &&
        down.error.kind === 'network' &&
        down.error.message.includes('Could not list the models: Could not resolve api.deepseek.com'),
    );
    const none = await listModels({
      baseUrl: 'https://llm.local',
      apiKey: KEY,
      fetch: scriptedFetch(
        new Response('{"error":{"message":"not found"}}', {
          status: 404,
          headers: { 'content-type': 'application/json' },
        }),
      ).fetch,
    });
    assert.ok(!none.ok && none.error.kind === 'config' && none.error.message.includes('no model list'));
  });

  it('a captive portal page is an error, not an empty list', async () => {
    const r = await listModels({
      baseUrl: 'https://api.deepseek.com',
      apiKey: KEY,
      fetch: scriptedFetch(
        new Response('<html>Sign in</html>', { status: 200, headers: { 'content-type': 'text/html' } }),
      ).fetch,
    });
    assert.equal(r.ok, false);
    assert.ok(!r.ok && r.error.kind === 'not_event_stream' && !r.error.message.includes('<html'), JSON.stringify(r));
  });

  it('a bad base URL is a config error before any request', async () => {
    const { fetch, calls } = scriptedFetch(new Response('{}'));
    const r = await listModels({ baseUrl: 'file:///etc', apiKey: KEY, fetch });
    assert.ok(!r.ok && r.error.kind === 'config');
    assert.equal(calls.length, 0);
  });
});
