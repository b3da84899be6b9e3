// Named scenarios of the fake DeepSeek server, for unit tests, the CLI tests and end-to-end tests
// in a real VS Code (which cannot pass functions to a server in another process). Pick one with
// `FAKE_DEEPSEEK_SCENARIO=name` (or `--scenario name`) for the standalone server, or per request
// with the magic word `[[scenario:name]]` anywhere in the last user message. "then ok" scenarios
// fail only the first attempt of a request (a retry of the same body succeeds).
//
//   ok              reasoning, then a markdown answer echoing the question, usage, [DONE]
//   queued          5 `: keep-alive` comments 100 ms apart, then the ok answer
//   slow            the ok answer trickled 8 bytes every 30 ms
//   long            a long markdown answer (headings, lists, code) in many small deltas
//   stall           thinking and half an answer, then keep-alives every 200 ms forever (no data)
//   silent          headers, then nothing at all until the client leaves
//   queue-forever   keep-alives every 200 ms forever, no data ever (DeepSeek's queue)
//   queue-closed    3 keep-alives, then the server closes (DeepSeek's 10-min queue limit)
//   cut             half an answer, then the connection closes (no finish reason, no [DONE])
//   cut-bytes       the ok answer cut after 300 bytes (mid-event)
//   reset           half an answer, then a TCP reset (ECONNRESET)
//   error-midstream half an answer, then `data: {"error": ...}`
//   no-finish       an answer and [DONE] but no finish_reason
//   length          an answer cut by max_tokens (finish_reason length)
//   empty           thinking only, then finish_reason stop with no content
//   filter          half an answer, then finish_reason content_filter
//   resource        half an answer, then finish_reason insufficient_system_resource
//   429             429 with Retry-After: 1, then ok        429-always   429 every time
//   503             503 (no Retry-After), then ok            500-always   500 every time
//   401 402 422     the status with DeepSeek's error body
//   400-context     400 "maximum context length" error
//   html            200 text/html (a captive portal page)
//   json            200 application/json: a whole non-streamed completion
//   agent           an agent turn (agentScenario.ts `agentTask`): read_files, edit_files on the first
//                   two packed files, run_command `node --version`, get_problems, then an answer
import { textOf } from './vision';
import { agentTask } from './agentScenario';
import { defaultReply, type ChatBody, type Reply, type Scenario, type Step } from './server';

const errorBody = (message: string, type: string) =>
  JSON.stringify({ error: { message, type, param: null, code: type } });
const status = (code: number, message: string, type: string, headers?: Record<string, string>): Reply => ({
  status: code,
  body: errorBody(message, type),
  ...(headers ? { headers } : {}),
});
const steps = (r: Reply): Step[] => ('steps' in r ? r.steps : []);

/** An answer of `text`, then the finish `reason` (default `stop`), usage and [DONE]. */
export function answerReply(text: string, reason = 'stop'): Reply {
  return { steps: [{ kind: 'content', text }, { kind: 'finish', reason }, { kind: 'usage' }, { kind: 'done' }] };
}

const HALF: Step[] = [
  { kind: 'reasoning', text: 'Reading the code. ' },
  { kind: 'content', text: 'The answer starts here and ' },
];

function longAnswer(): Step[] {
  const parts: string[] = ['# Overview\n\n'];
  for (let i = 1; i <= 40; i++) {
    parts.push(
      `## Section ${i}\n\n- point ${i}.a with \`code\`\n- point ${i}.b\n\n`,
      '```ts\n',
      `export const value${i} = ${i};\n`,
      '```\n\n',
    );
  }
  return parts.map((text) => ({ kind: 'content', text }));
}

const okThenRetry =
  (first: Reply): Scenario =>
  (body, _i, attempt) =>
    attempt === 0 ? first : defaultReply(body);

export const SCENARIOS: Record<string, Scenario> = {
  ok: (body) => defaultReply(body),
  queued: (body) => ({ steps: [{ kind: 'keepalive', count: 5, everyMs: 100 }, ...steps(defaultReply(body))] }),
  slow: (body) => ({ ...defaultReply(body), trickle: { bytes: 8, everyMs: 30 } }),
  long: () => ({
    steps: [
      { kind: 'reasoning', text: 'Planning a long answer.' },
      ...longAnswer(),
      { kind: 'finish', reason: 'stop' },
      { kind: 'usage' },
      { kind: 'done' },
    ],
  }),
  stall: () => ({ steps: [...HALF, { kind: 'keepalive', count: Infinity, everyMs: 200 }] }),
  silent: () => ({ steps: [{ kind: 'stall' }] }),
  'queue-forever': () => ({ steps: [{ kind: 'keepalive', count: Infinity, everyMs: 200 }] }),
  'queue-closed': () => ({ steps: [{ kind: 'keepalive', count: 3 }] }),
  cut: () => ({ steps: [...HALF, { kind: 'cut' }] }),
  'cut-bytes': (body) => ({ ...defaultReply(body), cutAfterBytes: 300 }),
  reset: () => ({ steps: [...HALF, { kind: 'reset' }] }),
  'error-midstream': () => ({
    steps: [...HALF, { kind: 'error', message: 'Service overloaded mid-answer', type: 'server_error' }],
  }),
  'no-finish': () => ({ steps: [...HALF, { kind: 'usage' }, { kind: 'done' }] }),
  length: () => ({ steps: [...HALF, { kind: 'finish', reason: 'length' }, { kind: 'usage' }, { kind: 'done' }] }),
  empty: () => ({
    steps: [
      { kind: 'reasoning', text: 'Thinking, but no answer.' },
      { kind: 'finish', reason: 'stop' },
      { kind: 'usage' },
      { kind: 'done' },
    ],
  }),
  filter: () => ({ steps: [...HALF, { kind: 'finish', reason: 'content_filter' }, { kind: 'done' }] }),
  resource: () => ({ steps: [...HALF, { kind: 'finish', reason: 'insufficient_system_resource' }, { kind: 'done' }] }),
  '429': okThenRetry(status(429, 'Rate limit reached for requests', 'rate_limit_error', { 'retry-after': '1' })),
  '429-always': () => status(429, 'Rate limit reached for requests', 'rate_limit_error'),
  '503': okThenRetry(status(503, 'Server overloaded, please retry shortly', 'server_error')),
  '500-always': () => status(500, 'Internal server error', 'server_error'),
  '401': () => status(401, 'Authentication Fails, Your api key is invalid', 'authentication_error'),
  '402': () => status(402, 'Insufficient Balance', 'insufficient_balance'),
  '422': () => status(422, 'Invalid parameter: reasoning_effort', 'invalid_request_error'),
  '400-context': () =>
    status(
      400,
      "This model's maximum context length is 1048576 tokens. However, you requested 1200000 tokens.",
      'invalid_request_error',
    ),
  html: () => ({
    status: 200,
    headers: { 'content-type': 'text/html; charset=utf-8' },
    body: '<html><body><h1>Sign in to Airport Wi-Fi</h1><script>alert(1)</script></body></html>',
  }),
  agent: agentTask,
  json: (body) => ({
    status: 200,
    body: JSON.stringify({
      id: 'chatcmpl-json',
      object: 'chat.completion',
      model: body.model,
      choices: [{ index: 0, message: { role: 'assistant', content: 'A whole answer' }, finish_reason: 'stop' }],
    }),
  }),
};

const MAGIC = /\[\[scenario:([\w-]+)\]\]/;

/**
 * The scenario a request names with `[[scenario:name]]` on the last line of its last user message
 * (where the question goes), if any: a repository packed above it may mention the syntax itself.
 */
export function magicWord(body: ChatBody): string | undefined {
  const last = textOf([...body.messages].reverse().find((m) => m.role === 'user')?.content);
  return MAGIC.exec(last.trimEnd().split('\n').at(-1) ?? '')?.[1];
}

/** A scenario that plays the request's magic word, else `fallback`; an unknown name gets a 400 listing the names. */
export function pickScenario(fallback = 'ok'): Scenario {
  return (body, index, attempt) => {
    const name = magicWord(body) ?? fallback;
    const scenario = SCENARIOS[name];
    if (!scenario)
      return status(
        400,
        `unknown fake scenario "${name}"; known: ${Object.keys(SCENARIOS).join(', ')}`,
        'invalid_request_error',
      );
    return scenario(body, index, attempt);
  };
}
