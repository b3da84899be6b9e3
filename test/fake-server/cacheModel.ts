// DeepSeek V4's context-cache rules, as the fake server's billing model (../shared/deepseek-api.md):
// a request is rendered to a token sequence (role markers + DeepSeek V3 token ids); a cached
// prefix is a UNIT, and a request hits only the longest unit it fully matches from token 0. Units are
// stored at the end of each request's input and at the end of its output, at common prefixes
// detected across requests, and optionally every N tokens. Caches are separate per model, thinking
// switch and effort. DeepSeek's own example holds: A+B then A+B+C hits A+B; A+B then A+C misses,
// after which A is a unit and A+D hits.
// Plug it in with `startFakeDeepSeek({ billing: (body, output) => model.bill(body, output) })`.
import type { Billing, ChatBody, Output, Reply, Step } from './server';
import { encode } from '../../src/context/tokenizer/counter';
import { imageTokens, textOf, type WireContent } from './vision';

export interface CacheModelOptions {
  /** Also store a unit every N tokens of each input (DeepSeek's interval is unpublished); 0 = off. */
  intervalTokens?: number;
  /** A common prefix shorter than this (tokens) is not stored as a unit. */
  minCommonPrefixTokens?: number;
  /**
   * How a thinking-mode generation prompt is rendered. `plain`: `<assistant>` (history assistant
   * turns start the same way). `think-marker`: DeepSeek V3.1-style, `<assistant><think>` at the end
   * of the input but `<assistant></think>` on history turns, so an input unit never covers history.
   */
  template?: 'plain' | 'think-marker';
  /** Extra request fields that separate caches (e.g. `max_tokens` for a pessimistic server). */
  extraKeyFields?: string[];
  /** Inputs remembered for common-prefix detection, per cache namespace. */
  recentInputs?: number;
}

export interface BilledRequest {
  namespace: string;
  promptTokens: number;
  hitTokens: number;
  outputTokens: number;
}

// Ordinary tokens are DeepSeek V3 token ids (the project's exact BPE, which V4 shares for ordinary
// text); special tokens live above 2^31 so they can never collide with them.
const SPECIAL = {
  bos: 0x8000_0000,
  system: 0x8000_0001,
  user: 0x8000_0002,
  assistant: 0x8000_0003,
  tool: 0x8000_0004,
  end: 0x8000_0005,
  thinkOpen: 0x8000_0006,
  thinkClose: 0x8000_0007,
  tools: 0x8000_0008,
  image: 0x8000_0009,
};
const ROLE: Record<string, number> = {
  system: SPECIAL.system,
  user: SPECIAL.user,
  assistant: SPECIAL.assistant,
  tool: SPECIAL.tool,
};

const memo = new Map<string, Uint32Array>();
/** DeepSeek V3 token ids of `text` (memoised for long texts: requests repeat their prefixes). */
export function tokenize(text: string): Uint32Array {
  const hit = memo.get(text);
  if (hit) return hit;
  const out = Uint32Array.from(encode(text));
  if (text.length > 256) {
    if (memo.size > 256) memo.clear();
    memo.set(text, out);
  }
  return out;
}

/**
 * The token sequence of a request's input, ending with the generation prompt. Tool definitions are
 * rendered first, as chat templates put them into the system prompt: a request with another tool
 * list (or none) shares no prefix with this one.
 */
export function renderInput(body: ChatBody, template: CacheModelOptions['template'] = 'plain'): Uint32Array {
  const thinking = body.thinking?.type !== 'disabled';
  const parts: (number | Uint32Array)[] = [SPECIAL.bos];
  if (body.tools?.length) parts.push(SPECIAL.tools, tokenize(JSON.stringify(body.tools)), SPECIAL.end);
  for (const m of body.messages) {
    parts.push(ROLE[m.role] ?? SPECIAL.user);
    if (m.role === 'assistant') {
      if (m.reasoning_content && m.tool_calls)
        parts.push(SPECIAL.thinkOpen, tokenize(m.reasoning_content), SPECIAL.thinkClose);
      else if (template === 'think-marker' && thinking) parts.push(SPECIAL.thinkClose);
    }
    parts.push(...contentTokens(m.content));
    if (m.tool_calls) parts.push(tokenize(JSON.stringify(m.tool_calls)));
    parts.push(SPECIAL.end);
  }
  parts.push(SPECIAL.assistant);
  if (template === 'think-marker' && thinking) parts.push(SPECIAL.thinkOpen);
  return concat(parts);
}

/**
 * A message's content as tokens: its text, and each image as IMAGE_TOKENS tokens of its own (vision.ts) where it
 * stands.
 */
function contentTokens(content: WireContent): (number | Uint32Array)[] {
  if (!Array.isArray(content)) return [tokenize(content ?? '')];
  return content.flatMap((p) =>
    p.type === 'text' ? [tokenize(p.text)] : [SPECIAL.image, imageTokens(p.image_url.url)],
  );
}

/**
 * The tokens a response appends to its input (reasoning in think markers, then the answer, then
 * its tool calls): what the assistant message of a tool-call turn renders to when it is sent back
 * with its reasoning and its calls exactly as received.
 */
export function renderOutput(output: Output): Uint32Array {
  const parts: (number | Uint32Array)[] = [];
  if (output.reasoning) parts.push(SPECIAL.thinkOpen, tokenize(output.reasoning), SPECIAL.thinkClose);
  parts.push(tokenize(output.content));
  if (output.toolCalls?.length) parts.push(tokenize(JSON.stringify(output.toolCalls)));
  parts.push(SPECIAL.end);
  return concat(parts);
}

function concat(parts: (number | Uint32Array)[]): Uint32Array {
  const n = parts.reduce<number>((s, p) => s + (typeof p === 'number' ? 1 : p.length), 0);
  const out = new Uint32Array(n);
  let i = 0;
  for (const p of parts) {
    if (typeof p === 'number') out[i++] = p;
    else {
      out.set(p, i);
      i += p.length;
    }
  }
  return out;
}

/** Unit keys (length + two independent 32-bit rolling hashes) of the prefixes of `tokens` at `lengths`. */
function prefixKeys(tokens: Uint32Array, lengths: number[]): [string, number][] {
  const sorted = [...new Set(lengths)].filter((n) => n > 0 && n <= tokens.length).sort((x, y) => x - y);
  const out: [string, number][] = [];
  let a = 0;
  let b = 0x9e3779b9;
  let i = 0;
  for (const length of sorted) {
    for (; i < length; i++) {
      a = (Math.imul(a, 31) + tokens[i]!) | 0;
      b = Math.imul(b ^ tokens[i]!, 0x85ebca6b);
    }
    out.push([`${length}:${a >>> 0}:${b >>> 0}`, length]);
  }
  return out;
}

export class CacheModel {
  /** Every billed request, in order. */
  readonly billed: BilledRequest[] = [];
  private readonly units = new Map<string, Map<string, number>>(); // namespace -> unit key -> length
  private readonly recent = new Map<string, Uint32Array[]>();
  private readonly opts: Required<CacheModelOptions>;

  constructor(options: CacheModelOptions = {}) {
    this.opts = {
      intervalTokens: 0,
      minCommonPrefixTokens: 64,
      template: 'plain',
      extraKeyFields: [],
      recentInputs: 32,
      ...options,
    };
  }

  /** The cache namespace of a request: model, thinking switch, effort (and any extra fields). */
  namespace(body: ChatBody): string {
    const thinking = body.thinking?.type !== 'disabled';
    const extra = this.opts.extraKeyFields.map((k) => `${k}=${JSON.stringify(body[k])}`);
    return [
      body.model,
      thinking ? 'thinking' : 'no-thinking',
      thinking ? (body.reasoning_effort ?? 'high') : '',
      ...extra,
    ].join('|');
  }

  /** Bills one request (the `billing` hook of the fake server) and stores the units it creates. */
  bill(body: ChatBody, output: Output): Billing {
    const ns = this.namespace(body);
    const units = this.units.get(ns) ?? new Map<string, number>();
    this.units.set(ns, units);
    const input = renderInput(body, this.opts.template);
    const hitTokens = this.longestUnit(units, input);

    // Units created by this request, usable by later ones.
    const lengths = [input.length];
    const recent = this.recent.get(ns) ?? [];
    for (const prev of recent) {
      const lcp = commonPrefix(prev, input);
      if (lcp >= this.opts.minCommonPrefixTokens) lengths.push(lcp);
    }
    if (this.opts.intervalTokens > 0)
      for (let k = this.opts.intervalTokens; k < input.length; k += this.opts.intervalTokens) lengths.push(k);
    for (const [key, length] of prefixKeys(input, lengths)) units.set(key, length);
    const out = renderOutput(output);
    const full = concat([input, out]);
    for (const [key, length] of prefixKeys(full, [full.length])) units.set(key, length);
    recent.push(input);
    if (recent.length > this.opts.recentInputs) recent.shift();
    this.recent.set(ns, recent);

    this.billed.push({ namespace: ns, promptTokens: input.length, hitTokens, outputTokens: out.length });
    return { promptTokens: input.length, hitTokens };
  }

  /** Forgets every unit (DeepSeek drops unused caches after hours to days). */
  evictAll(): void {
    this.units.clear();
    this.recent.clear();
  }

  /** The length of the longest stored unit that `input` fully matches from token 0. */
  private longestUnit(units: Map<string, number>, input: Uint32Array): number {
    let best = 0;
    for (const [key, length] of prefixKeys(input, [...units.values()])) if (units.has(key)) best = length;
    return best;
  }
}

function commonPrefix(x: Uint32Array, y: Uint32Array): number {
  const n = Math.min(x.length, y.length);
  let i = 0;
  while (i < n && x[i] === y[i]) i++;
  return i;
}

const FILLER =
  'The function reads the cached value, checks its index against the stream buffer and returns the parsed ' +
  'result to the handler. ';

/**
 * A scenario for cache tests and benchmarks: reasoning, then an answer derived from the last question
 * (different questions get different answers), about `answerChars` / `reasoningChars` long, with
 * `max_tokens` honoured (the cache plan's warm-up sends 1: one reasoning word, finish `length`).
 */
export function cacheAwareScenario(
  options: { reasoningChars?: number; answerChars?: number } = {},
): (body: ChatBody) => Reply {
  const pad = (n: number | undefined) => (n ? FILLER.repeat(Math.ceil(n / FILLER.length)).slice(0, n) : '');
  return (body) => {
    const last = textOf([...body.messages].reverse().find((m) => m.role === 'user')?.content);
    const question = last.slice(-200).replace(/\s+/g, ' ').trim();
    const thinking = body.thinking?.type !== 'disabled';
    const pieces: { kind: 'reasoning' | 'content'; text: string }[] = [];
    if (thinking)
      pieces.push(
        { kind: 'reasoning', text: `Thinking about "${question}" against the repository. ` },
        { kind: 'reasoning', text: `The relevant code is in src. ${pad(options.reasoningChars)}` },
      );
    pieces.push(
      { kind: 'content', text: `About "${question}": ` },
      {
        kind: 'content',
        text:
          `the answer is in \`src/main.ts:1\`, which exports the value used everywhere. ` +
          `${pad(options.answerChars)}\n`,
      },
    );
    const steps: Step[] = [];
    let budget = body.max_tokens ?? Infinity;
    let finish = 'stop';
    for (const p of pieces) {
      if (budget <= 0) {
        finish = 'length';
        break;
      }
      const words = p.text.split(/(?<= )/);
      const take = words.slice(0, Math.max(1, Math.min(words.length, budget)));
      budget -= take.length;
      steps.push({ kind: p.kind, text: take.join('') });
      if (take.length < words.length) finish = 'length';
    }
    steps.push({ kind: 'finish', reason: finish }, { kind: 'usage' }, { kind: 'done' });
    return { steps };
  };
}

/** `cacheAwareScenario()` with short answers. */
export const cacheAwareReply = cacheAwareScenario();
