// Plays a scenario's reply on the fake DeepSeek server's response: a status, or SSE steps the way
// DeepSeek streams them (keep-alives, reasoning then content deltas, tool calls, a finish, usage from the
// billing hook, [DONE]), with trickles, stalls, cuts (FIN) and resets (RST) for the failure tests.
import type * as http from 'node:http';
import type { Billing, ChatBody, Output, Reply, WireToolCall, WireUsage } from './types';

/**
 * Plays `reply` on `res`: a status with its body, or the SSE steps of a chat completion as DeepSeek streams
 * them; `usage` steps bill through `billing`, and `stepDelayMs` (ms) spaces the steps.
 */
export async function playReply(
  res: http.ServerResponse,
  reply: Reply,
  body: ChatBody,
  { billing, stepDelayMs }: { billing: (body: ChatBody, output: Output) => Billing; stepDelayMs?: number | undefined },
): Promise<void> {
  const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));
  if (reply.delayMs) await delay(reply.delayMs);
  if (res.destroyed) return;
  if ('status' in reply) {
    res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
    res.end(reply.body ?? '');
    return;
  }
  const id = `chatcmpl-fake-${Date.now().toString(36)}`;
  const created = Math.floor(Date.now() / 1000);
  const chunk = (delta: object, finish: string | null = null, usage?: object) => {
    const choices = [{ index: 0, delta, logprobs: null, finish_reason: finish }];
    const event = {
      id,
      object: 'chat.completion.chunk',
      created,
      model: body.model,
      choices,
      ...(usage ? { usage } : {}),
    };
    return `data: ${JSON.stringify(event)}\n\n`;
  };
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'x-request-id': id,
    ...reply.headers,
  });
  res.flushHeaders();
  const gone = new Promise<void>((r) => res.once('close', () => r()));
  let sent = 0;
  /** Writes body bytes (trickled, cut after `cutAfterBytes`); false once the connection is gone or cut. */
  const send = async (data: string | Uint8Array): Promise<boolean> => {
    let bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
    const limit = reply.cutAfterBytes;
    const cut = limit !== undefined && sent + bytes.length >= limit;
    if (cut) bytes = bytes.subarray(0, Math.max(0, limit - sent));
    const piece = reply.trickle?.bytes ?? bytes.length;
    for (let at = 0; at < bytes.length; at += piece) {
      if (res.destroyed) return false;
      if (at > 0 && reply.trickle) await delay(reply.trickle.everyMs);
      await new Promise<void>((r) => res.write(bytes.subarray(at, at + piece), () => r()));
    }
    sent += bytes.length;
    if (cut) await closeSocket(res, 'fin');
    return !cut && !res.destroyed;
  };
  let completion = '';
  let reasoning = '';
  const toolCalls: WireToolCall[] = [];
  let first = true;
  for (const step of reply.steps) {
    if (res.destroyed) return;
    if (stepDelayMs) await delay(stepDelayMs);
    const role = first ? { role: 'assistant' } : {};
    let ok = true;
    switch (step.kind) {
      case 'keepalive':
        for (let i = 0; i < (step.count ?? 1) && ok; i++) {
          if (i > 0 && step.everyMs) await Promise.race([delay(step.everyMs), gone]);
          ok = await send(': keep-alive\n\n');
        }
        if (!ok) return;
        continue;
      case 'reasoning':
        ok = await send(chunk({ ...role, ...(first ? { content: null } : {}), reasoning_content: step.text }));
        reasoning += step.text;
        break;
      case 'content':
        ok = await send(chunk({ ...role, content: step.text, reasoning_content: null }));
        completion += step.text;
        break;
      case 'toolCall': {
        const index = toolCalls.length;
        toolCalls.push({ id: step.id, type: 'function', function: { name: step.name, arguments: step.arguments } });
        ok = await send(
          chunk({
            ...role,
            ...(first ? { content: null } : {}),
            tool_calls: [{ index, id: step.id, type: 'function', function: { name: step.name, arguments: '' } }],
          }),
        );
        const n = step.pieces ?? Math.max(1, Math.ceil(step.arguments.length / 24));
        const size = Math.ceil(step.arguments.length / n);
        for (let at = 0; ok && at < step.arguments.length; at += size)
          ok = await send(
            chunk({ tool_calls: [{ index, function: { arguments: step.arguments.slice(at, at + size) } }] }),
          );
        break;
      }
      case 'finish':
        ok = await send(chunk({ content: '', reasoning_content: null }, step.reason));
        break;
      case 'usage': {
        const b = billing(body, { reasoning, content: completion, ...(toolCalls.length ? { toolCalls } : {}) });
        const completionTokens = Math.ceil(Buffer.byteLength(completion + reasoning) / 4);
        const usage: WireUsage = {
          prompt_tokens: b.promptTokens,
          completion_tokens: completionTokens,
          total_tokens: b.promptTokens + completionTokens,
          prompt_cache_hit_tokens: b.hitTokens,
          prompt_cache_miss_tokens: b.promptTokens - b.hitTokens,
          prompt_tokens_details: { cached_tokens: b.hitTokens },
          completion_tokens_details: { reasoning_tokens: Math.ceil(Buffer.byteLength(reasoning) / 4) },
          ...step.usage,
        };
        const last = { id, object: 'chat.completion.chunk', created, model: body.model, choices: [], usage };
        ok = await send(`data: ${JSON.stringify(last)}\n\n`);
        break;
      }
      case 'error':
        ok = await send(
          `data: ${JSON.stringify({ error: { message: step.message, type: step.type ?? 'server_error' } })}\n\n`,
        );
        break;
      case 'raw':
        ok = await send(step.text);
        break;
      case 'bytes':
        ok = await send(step.data);
        break;
      case 'done':
        ok = await send('data: [DONE]\n\n');
        break;
      case 'wait':
        await Promise.race([delay(step.ms), gone]);
        continue;
      case 'until':
        await Promise.race([step.ready, gone]);
        continue;
      case 'stall':
        await gone;
        return;
      case 'cut':
        await closeSocket(res, 'fin');
        return;
      case 'reset':
        await closeSocket(res, 'rst');
        return;
    }
    if (!ok) return;
    first = false;
  }
  res.end();
}

/** Ends the connection under a response: FIN after the written bytes, or RST (ECONNRESET at the client). */
async function closeSocket(res: http.ServerResponse, how: 'fin' | 'rst'): Promise<void> {
  const socket = res.socket;
  if (!socket || socket.destroyed) return;
  if (how === 'rst') {
    socket.resetAndDestroy();
    return;
  }
  await new Promise<void>((r) => socket.end(() => r()));
  socket.destroy();
}
