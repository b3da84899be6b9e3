// How much the streaming client costs per delta, so a 384K-token answer never makes the UI wait on
// parsing: many small deltas from memory (exact SSE bytes in 64 KiB reads), the same over HTTP from
// the fake server, and one huge single delta. Prints the numbers and writes the "stream" section of
// BENCHMARKS.md.   npm run bench:stream
import { streamChat } from '../../src/llm/client';
import type { RequestParams } from '../../src/llm/types';
import { startFakeDeepSeek, type Step } from '../fake-server/server';
import { machineLine, writeSection } from './report';

const PARAMS: RequestParams = { model: 'deepseek-v4-pro', maxTokens: 393_216, thinking: true, reasoningEffort: 'high' };
const MESSAGES = [{ role: 'user' as const, content: 'bench' }];
const KEY = 'sk-bench-0000000000';

const event = (delta: object, finish: string | null = null) => {
  const chunk = {
    id: 'b',
    object: 'chat.completion.chunk',
    model: 'deepseek-v4-pro',
    choices: [{ index: 0, delta, finish_reason: finish }],
  };
  return `data: ${JSON.stringify(chunk)}\n\n`;
};

function sseBytes(deltas: number): Uint8Array {
  const parts: string[] = [];
  for (let i = 0; i < deltas; i++)
    parts.push(event(i < deltas / 4 ? { reasoning_content: 'tok ' } : { content: 'tok ' }));
  parts.push(event({ content: '' }, 'stop'), 'data: [DONE]\n\n');
  return new TextEncoder().encode(parts.join(''));
}

function memoryFetch(bytes: Uint8Array, read = 64 * 1024): typeof fetch {
  return async () => {
    let at = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        if (at >= bytes.length) return c.close();
        c.enqueue(bytes.subarray(at, (at += read)));
      },
    });
    return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
  };
}

async function timed(run: () => Promise<{ outcome: string; content: string }>): Promise<{ ms: number; chars: number }> {
  const t = performance.now();
  const r = await run();
  if (r.outcome !== 'complete') throw new Error(`bench run ended ${r.outcome}`);
  return { ms: performance.now() - t, chars: r.content.length };
}

async function main(): Promise<void> {
  const rows: string[] = [];
  const row = (what: string, deltas: number, bytes: number, ms: number) => {
    const line =
      `| ${what} | ${deltas.toLocaleString('en')} | ${(bytes / 2 ** 20).toFixed(1)} MiB | ${ms.toFixed(0)} ms ` +
      `| ${deltas > 1 ? `${Math.round(deltas / (ms / 1000)).toLocaleString('en')} deltas/s` : '—'} | ` +
      `${deltas > 1 ? `${((ms * 1000) / deltas).toFixed(1)} µs` : '—'} | ` +
      `${(bytes / 2 ** 20 / (ms / 1000)).toFixed(0)} MiB/s |`;
    rows.push(line);
    console.log(line);
  };

  const n = 200_000; // about one maximal answer: 384K tokens at ~2 tokens per delta
  const bytes = sseBytes(n);
  await timed(() =>
    streamChat({ baseUrl: 'https://api.deepseek.com', apiKey: KEY, fetch: memoryFetch(bytes) }, MESSAGES, PARAMS, {}),
  ); // warm-up
  let best = Infinity;
  for (let i = 0; i < 3; i++)
    best = Math.min(
      best,
      (
        await timed(() =>
          streamChat(
            { baseUrl: 'https://api.deepseek.com', apiKey: KEY, fetch: memoryFetch(bytes) },
            MESSAGES,
            PARAMS,
            { onContent: () => undefined },
          ),
        )
      ).ms,
    );
  row('small deltas, in memory (best of 3)', n, bytes.length, best);

  const server = await startFakeDeepSeek();
  try {
    const httpN = 50_000;
    const steps: Step[] = Array.from({ length: httpN }, (_, i): Step =>
      i < httpN / 4 ? { kind: 'reasoning', text: 'tok ' } : { kind: 'content', text: 'tok ' },
    );
    server.setScenario(() => ({ steps: [...steps, { kind: 'finish', reason: 'stop' }, { kind: 'done' }] }));
    const http = await timed(() => streamChat({ baseUrl: server.url, apiKey: KEY }, MESSAGES, PARAMS, {}));
    row('small deltas, over HTTP from the fake server (one write per event)', httpN, sseBytes(httpN).length, http.ms);

    const huge = 'x'.repeat(16 * 2 ** 20);
    server.setScenario(() => ({
      steps: [{ kind: 'content', text: huge }, { kind: 'finish', reason: 'stop' }, { kind: 'done' }],
    }));
    const one = await timed(() => streamChat({ baseUrl: server.url, apiKey: KEY }, MESSAGES, PARAMS, {}));
    row('one 16 MiB delta, over HTTP', 1, huge.length, one.ms);
  } finally {
    await server.close();
  }

  writeSection(
    'stream',
    [
      '## Streaming client (`npm run bench:stream`)',
      '',
      `Machine: ${machineLine()}. Wall-clock on a shared machine: compare orders of magnitude, not percent.`,
      'Each delta is one SSE `data:` event of a `chat.completion.chunk` (reasoning first, then content), parsed by',
      'eventsource-parser, JSON-decoded and accumulated by the real `streamChat`.',
      '',
      '| stream | deltas | bytes | time | rate | per delta | throughput |',
      '|---|---|---|---|---|---|---|',
      ...rows,
    ].join('\n'),
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
