// `deepseek-repo ask "QUESTION" [--dir DIR] [--model ID] [--json] [--conversation FILE] [--continue] [--budget TOKENS]
//   [--window TOKENS] [--image FILE]... [--focus PATH]...`
// A thin front end over ChatSession: the same cache plan, history and cost as the extension.
// `--json` prints one NDJSON event a line, exactly as src/protocol/cliEvents.ts defines them.
// Without DEEPSEEK_API_KEY nothing is sent: it prints what would be sent ({"type":"dryRun",…}) and exits 2
// (unless DEEPSEEK_BASE_URL is on this machine: a local server is asked without a key).
// Cache-plan state (warm-up verdicts, base packs) lives in $DEEPSEEK_REPO_CACHE_DIR, else
// $XDG_CACHE_HOME/deepseek-repo, else ~/.cache/deepseek-repo.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { contextSourceOf, type ContextSource } from '../chat/contextSource';
import { FileConversationLog, MemoryConversationLog } from '../chat/history';
import { visionAt } from '../chat/questionImages';
import { endpointKey, repositoryBudget, windowOf } from '../chat/requestPlan';
import { undoSteps } from '../chat/agent/undo';
import { turnsOf } from '../chat/conversation';
import { ChatSession, newConversationId } from '../chat/session';
import type { NewImage } from '../chat/imageStore';
import type { SessionPorts } from '../chat/sessionTypes';
import { formatUsd } from '../llm/cost';
import type { RequestParams } from '../llm/types';
import type { EditorFocus, Pack } from '../context/types';
import type { CliEvent } from '../protocol/cliEvents';
import { JSON_FORMAT_VERSION } from '../protocol/packReport';
import { timeoutsFromEnv } from './clientEnv';
import { ContextEngine } from '../context/engine';
import { agentTools } from '../chat/agent/toolDefs';
import type { AgentOptions } from '../chat/sessionTypes';
import { checkAgentFlags, cliAgent, normalizeAllowRun, type AgentFlags } from './agentFlags';
import {
  CommandError,
  UsageError,
  checkConversationFile,
  cliCacheDir,
  countOption,
  focusPaths,
  packJson,
  roots,
  tokensOption,
  windowOption,
} from './common';
import { imageStoreBeside, readImageFiles } from './imageFiles';
import { jsonPrinter } from './jsonPrinter';
import { plainPrinter, shellWord } from './plainPrinter';
import { stopBeforeExit } from './processExit';
import { CLI_VISION_MODEL, cliRequestParams, cliSessionPorts, endpointFromEnv } from './sessionPorts';

const num = (n: number) => n.toLocaleString('en-US');

/** The signals that stop an answer: the process then ends with 128 + the signal's number. */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export async function cmdAsk(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: normalizeAllowRun(argv),
    allowPositionals: true,
    options: {
      dir: { type: 'string', multiple: true },
      model: { type: 'string' },
      json: { type: 'boolean' },
      conversation: { type: 'string' },
      continue: { type: 'boolean' },
      budget: { type: 'string' },
      window: { type: 'string' },
      image: { type: 'string', multiple: true },
      agent: { type: 'boolean' },
      apply: { type: 'boolean' },
      'allow-run': { type: 'string', multiple: true },
      'max-steps': { type: 'string' },
      'command-timeout': { type: 'string' },
      focus: { type: 'string', multiple: true },
    },
  });
  const agentFlags: AgentFlags = {
    ...(values.agent ? { agent: true } : {}),
    ...(values.apply ? { apply: true } : {}),
    ...(values['allow-run'] ? { allowRun: values['allow-run'] } : {}),
    ...(values['max-steps'] !== undefined
      ? { maxSteps: countOption('--max-steps', values['max-steps'], 'steps')! }
      : {}),
    ...(values['command-timeout'] !== undefined
      ? { commandTimeoutSeconds: countOption('--command-timeout', values['command-timeout'], 'seconds')! }
      : {}),
  };
  checkAgentFlags(agentFlags);
  const budget = tokensOption('--budget', values.budget);
  const window = windowOption(values.window);
  const question = positionals.join(' ').trim();
  if (values.continue && !values.conversation) throw new UsageError('--continue needs --conversation FILE');
  if (values.continue && question) throw new UsageError('--continue takes no question');
  if (!question && !values.continue) throw new UsageError('ask needs a question');
  if (values.continue && values.image?.length) throw new UsageError('--continue takes no --image');
  const images = readImageFiles(values.image ?? []);
  if (values.continue && values.conversation && !fs.existsSync(values.conversation))
    throw new CommandError(`nothing to continue: ${values.conversation} does not exist`);
  if (values.conversation) checkConversationFile(values.conversation);
  const timeouts = timeoutsFromEnv(process.env);
  const dirs = roots(values.dir ?? []);
  const pinned = focusPaths(values.focus ?? [], dirs);
  if (pinned.length && values.continue)
    throw new UsageError('--continue takes no --focus (the question it continues keeps its own)');
  // The CLI only waits while the first pack reads: its thread reads too (one worker thread fewer).
  const engine = new ContextEngine({ roots: dirs, cacheDir: cliCacheDir(), readHere: true });
  // Edits written without a conversation file of the user's go in one of the cache's, so that undo can put them back.
  const conversation =
    values.conversation ?? (agentFlags.agent && agentFlags.apply ? keptTurnFile(cliCacheDir()) : undefined);
  try {
    const { focus: _paths, ...flags } = values;
    return await askWith(contextSourceOf(engine, dirs), question, {
      ...flags,
      ...(conversation ? { conversation } : {}),
      budget,
      window,
      timeouts,
      images,
      agentFlags,
      agentPorts: (print) => cliAgent(engine, dirs, agentFlags, print),
      ...(pinned.length ? { focus: { pinned } } : {}),
    });
  } finally {
    engine.dispose(); // saves what this run learned of files for the next
  }
}

interface AskFlags {
  model?: string;
  json?: boolean;
  conversation?: string;
  continue?: boolean;
  /** Tokens the repository may use (`--budget`; capped by the window); default: the window's room. */
  budget: number | undefined;
  /** The model's context window (`--window`); default: what the endpoint reports for the model, else DeepSeek V4's. */
  window: number | undefined;
  timeouts: ReturnType<typeof timeoutsFromEnv>;
  /** The question's images (`--image`, read and checked). */
  images: NewImage[];
  agentFlags: AgentFlags;
  /** The agent's ports, printing through `print` (--agent). */
  agentPorts: (print: { say: (text: string) => void; diff: (text: string) => void }) => AgentOptions;
  /** `--focus` paths (absolute): files whole, folders ranked first. */
  focus?: EditorFocus;
}

/**
 * `source`, giving the same pack again for the same request: a dry run lists the files of the pack its estimate
 * made instead of packing again. Nothing changes files in between; a run that sends (the agent edits files) uses
 * `source` itself.
 */
export function remembering(source: ContextSource): ContextSource {
  const made = new Map<string, Promise<Pack>>();
  return {
    ...source,
    pack(request) {
      const key = JSON.stringify(request);
      let pack = made.get(key);
      if (!pack) made.set(key, (pack = source.pack(request)));
      return pack;
    },
  };
}

async function askWith(source: ContextSource, question: string, values: AskFlags): Promise<number> {
  const json = !!values.json;
  const timeouts = values.timeouts;
  let first = true; // the first line carries the format version
  const emit = (event: CliEvent) => {
    const { type, ...fields } = event;
    process.stdout.write(JSON.stringify(first ? { type, v: JSON_FORMAT_VERSION, ...fields } : event) + '\n');
    first = false;
  };
  const say = (text: string) => process.stderr.write(text);
  const endpoint = endpointFromEnv(process.env);
  const sends = endpoint.sends; // a server on this machine is asked without a key
  const context = sends ? source : remembering(source);
  const ports = cliSessionPorts({
    source: context,
    endpoint,
    timeouts,
    budget: values.budget,
    window: values.window,
    ...(values.conversation ? { images: imageStoreBeside(values.conversation) } : {}),
    ...(json
      ? {}
      : {
          onReportedWindow: (model: string, tokens: number) =>
            say(
              `note: ${model} has a context window of ${num(tokens)} tokens (the endpoint says so); ` +
                'the request is fitted to it\n',
            ),
        }),
  });
  // A new conversation with images and no --model asks the model that reads them.
  const vision = values.images.length > 0 && !values.model;
  const defaults: RequestParams = {
    ...cliRequestParams(values.model ?? (vision ? CLI_VISION_MODEL : undefined)),
    ...(values.agentFlags.agent ? { tools: agentTools({ write: true }) } : {}),
  };
  const session = openSession(ports, values.conversation, defaults);
  if (vision && session.params.model === CLI_VISION_MODEL && !json)
    say(`note: asking ${CLI_VISION_MODEL}, which reads images (--model chooses another)\n`);
  // What the question carries besides its text: its images and the --focus paths.
  const asked = {
    ...(values.images.length ? { images: values.images } : {}),
    ...(values.focus ? { focus: values.focus } : {}),
  };
  if (values.model && session.params.model !== values.model)
    say(`note: this conversation keeps ${session.params.model}; --model applies to new conversations\n`);
  if (values.agentFlags.agent && !session.params.tools?.length)
    say(
      'note: this conversation was started without tools, so it answers only; --agent applies to new conversations\n',
    );

  if (!sends) {
    const info = await session.estimate(question || 'continue', asked);
    const pack = await context.pack({
      budgetTokens: repositoryBudget(session.params.maxTokens, values.budget, windowOf(session.params)),
      question,
      ...(values.focus ? { focus: values.focus } : {}),
    });
    const cost = info.estimate.expectedUsd;
    if (json)
      emit({
        type: 'dryRun',
        model: session.params.model,
        tokens: info.repositoryTokens,
        promptTokens: info.estimate.promptTokens,
        predictedHitTokens: info.estimate.predictedHitTokens,
        ...(cost !== undefined ? { estimatedCostUsd: cost } : {}),
        files: packJson(pack).files,
        ...(info.images ? { images: info.images } : {}),
      });
    say(
      `No DEEPSEEK_API_KEY set: nothing was sent.\n` +
        `Would send ${info.files} files, about ${num(info.repositoryTokens)} tokens of repository ` +
        `(${num(info.estimate.promptTokens)} tokens in all${info.warmup ? ', after a cache warm-up' : ''}) to ` +
        `${session.params.model}` +
        `${
          info.images
            ? ` with ${info.images.count} image${info.images.count === 1 ? '' : 's'} ` +
              `(~${num(info.images.tokens)} tokens)`
            : ''
        }` +
        `${cost !== undefined ? `, estimated cost ${formatUsd(cost)} (prices as of ${info.estimate.asOf})` : ''}.\n` +
        `Set a key with: export DEEPSEEK_API_KEY=sk-...\n`,
    );
    // As the run with a key would refuse it (turnImages.ts), from what is known without asking the endpoint.
    const model = session.params.model;
    if (values.images.length && visionAt(endpointKey(endpoint.baseUrl), model, undefined) === 'no')
      say(`note: ${model} cannot read images: with a key, nothing would be sent (--model ${CLI_VISION_MODEL} can)\n`);
    return 2;
  }

  // Ctrl-C, and a kill, a closed terminal or a reader closing the output early (`| head`, as SIGPIPE) too: the answer
  // is cancelled (kept as far as it came) and a command the agent runs is stopped with its process group, which no
  // signal to this process reaches.
  let stoppedBy: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    stoppedBy ??= signal;
    session.cancel();
  };
  for (const signal of STOP_SIGNALS) process.once(signal, onSignal);
  const releaseStop = stopBeforeExit(() => onSignal('SIGPIPE'));
  const printed = { conversation: values.conversation };
  const listener = json ? jsonPrinter(emit, printed) : plainPrinter(say, printed);
  const acting = values.agentFlags.agent && session.params.tools?.length;
  // Diffs of change sets awaiting review: stdout in plain mode (the answer's stream), stderr beside NDJSON.
  const diff = (text: string) => (json ? say(text) : process.stdout.write(text));
  const options = acting ? { agent: values.agentPorts({ say, diff }) } : {};
  try {
    const end = values.continue
      ? await session.continue(options, listener)
      : await session.ask(question, { ...asked, ...options }, listener);
    // The model cannot read the images: nothing was sent, as for any other unusable input.
    if (end.notSent && end.error?.kind === 'images_unsupported') return 2;
    const wrote = undoSteps(turnsOf(session.snapshot()).at(-1) ?? {}).length > 0;
    if (wrote && values.conversation && !json)
      say(`(to put the files back: deepseek-repo undo --conversation ${shellWord(values.conversation)})\n`);
    if (end.outcome === 'cancelled') return 128 + os.constants.signals[stoppedBy ?? 'SIGINT']; // 130 for Ctrl-C
    // An answer the output limit cut is not complete for the caller: --continue finishes it.
    return end.outcome === 'complete' && end.outputLimitTokens === undefined ? 0 : 1;
  } finally {
    for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
    releaseStop();
  }
}

function openSession(ports: SessionPorts, file: string | undefined, defaults: RequestParams): ChatSession {
  if (!file) return ChatSession.create(ports, new MemoryConversationLog(), defaults);
  if (!fs.existsSync(file)) return ChatSession.create(ports, new FileConversationLog(file), defaults);
  try {
    const { session, warnings } = ChatSession.open(ports, new FileConversationLog(file));
    warnings.forEach((w) => process.stderr.write(`warning: ${w}\n`));
    return session;
  } catch (e) {
    throw new CommandError(
      `${file} is not a deepseek-repo conversation (${(e as Error).message}); it was left untouched`,
    );
  }
}

/** Agent turns the CLI keeps for undo: a new file in the cache's `agent-turns`, where those of 30 days ago go. */
function keptTurnFile(cacheDir: string): string | undefined {
  const dir = path.join(cacheDir, 'agent-turns');
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.accessSync(dir, fs.constants.W_OK);
  } catch {
    return undefined; // a cache that cannot be written: the turn is kept in memory only, as before
  }
  const now = Date.now();
  for (const name of fs.readdirSync(dir)) {
    if (!KEPT_NAME.test(name)) continue; // not a kept turn: not this sweep's to remove
    const file = path.join(dir, name);
    try {
      if (now - fs.statSync(file).mtimeMs > KEPT_TURN_MS) fs.rmSync(file, { recursive: true, force: true });
    } catch {
      // gone meanwhile: nothing to remove
    }
  }
  return path.join(dir, `${newConversationId(now)}.jsonl`);
}

/** A kept turn (`<conversation id>.jsonl`) and what goes beside it (its images: `<id>.jsonl.images`). */
const KEPT_NAME = /^\d{8}-\d{6}-[0-9a-f]{6}\.jsonl/;

/** How long an agent turn the CLI kept for undo stays in the cache (ms): 30 days. */
const KEPT_TURN_MS = 30 * 24 * 3600 * 1000;
