// Base URLs: normalised, unusable ones refused, and which endpoints (this machine's) need no API key.
import * as assert from 'node:assert/strict';
import { needsApiKey, parseBaseUrl } from '../../../src/llm/endpoint';

describe('endpoint', () => {
  it('normalises base URLs and rejects unusable ones', () => {
    assert.deepEqual(parseBaseUrl(' https://api.deepseek.com/ '), {
      url: 'https://api.deepseek.com',
      host: 'api.deepseek.com',
      local: false,
    });
    assert.deepEqual(parseBaseUrl('http://localhost:8000/v1/chat/completions'), {
      url: 'http://localhost:8000/v1',
      host: 'localhost:8000',
      local: true,
    });
    for (const bad of ['', 'localhost:8000', 'ws://x', 'https://a:b@x', 'https://x/?k=1'])
      assert.ok('error' in parseBaseUrl(bad), bad);
  });

  it('asks for an API key unless the endpoint is on this machine', () => {
    for (const local of [
      'http://localhost:11434/v1',
      'http://LOCALHOST:1234/v1',
      'http://ollama.localhost/v1',
      'http://127.0.0.1:8000/v1',
      'http://127.1.2.3/v1',
      'http://[::1]:8000/v1',
      'http://0.0.0.0:1234/v1',
    ]) {
      assert.equal(needsApiKey(local), false, local);
    }
    for (const remote of [
      'https://api.deepseek.com',
      'https://openrouter.ai/api/v1',
      'http://192.168.1.20:8000/v1',
      'http://localhost.example.com/v1',
      'http://127.0.0.1.nip.io/v1',
      'http://[::2]/v1',
      'localhost:11434',
      '',
    ]) {
      assert.equal(needsApiKey(remote), true, remote);
    }
  });
});
