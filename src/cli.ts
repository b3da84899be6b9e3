// `deepseek-repo`: the command-line front end over the same core as the extension.
//   deepseek-repo pack [DIR...] [--json] [--out FILE] [--budget TOKENS]
//   deepseek-repo ask "QUESTION" [--dir DIR] [--model ID] [--json] [--conversation FILE]
// Exit codes: 0 complete; 1 error or interrupted; 2 usage / no API key (offline dry run); 130 cancelled.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { packWorkspace } from './context/pack';
import type { Pack, WorkspaceRoot } from './context/types';
import { buildMessages, type PastTurn } from './chat/prompt';
import { streamChat } from './llm/client';
import type { ChatResult, RequestParams } from './llm/types';

const WINDOW = 1_048_576;
const DEFAULT_MAX_OUTPUT = 32_768;
const USAGE = `usage:
  deepseek-repo pack [DIR...] [--json] [--out FILE] [--budget TOKENS]
  deepseek-repo ask "QUESTION" [--dir DIR] [--model ID] [--json] [--conversation FILE]

environment: DEEPSEEK_API_KEY, DEEPSEEK_BASE_URL (default https://api.deepseek.com)`;

class UsageError extends Error {}

function roots(dirs: string[]): WorkspaceRoot[] {
  return (dirs.length ? dirs : ['.']).map((d) => {
    const abs = path.resolve(d);
    if (!fs.existsSync(abs) || !fs.statSync(abs).isDirectory()) throw new UsageError(`not a directory: ${d}`);
    return { name: path.basename(abs) || abs, path: abs };
  });
}

function budgetArg(v: string | undefined): number {
  if (v === undefined) return WINDOW - DEFAULT_MAX_OUTPUT;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--budget must be a positive integer (tokens), got ${v}`);
  return n;
}

function packJson(pack: Pack) {
  return {
    tokens: pack.tokens,
    hash: pack.manifest.hash,
    roots: pack.roots,
    files: pack.files.map((f) => ({ path: f.path, tokens: f.tokens, status: f.status, ...(f.reason ? { reason: f.reason } : {}) })),
    redactions: pack.redactions,
    warnings: pack.warnings,
  };
}

async function cmdPack(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { json: { type: 'boolean' }, out: { type: 'string' }, budget: { type: 'string' } } });
  const pack = packWorkspace(roots(positionals), { budgetTokens: budgetArg(values.budget) });
  if (values.out) fs.writeFileSync(values.out, pack.text);
  if (values.json) process.stdout.write(JSON.stringify(packJson(pack)) + '\n');
  else {
    const n = (s: string) => pack.files.filter((f) => f.status === s).length;
    process.stdout.write(`${n('included')} files included, ${n('outline')} outlined, ${n('excluded')} excluded; ${pack.tokens} tokens${values.out ? ` -> ${values.out}` : ''}\n`);
  }
  return 0;
}

interface ConversationFile {
  version: 1;
  params: RequestParams;
  turns: Array<PastTurn & { reasoning: string; outcome: ChatResult['outcome'] }>;
}

function loadConversation(file: string | undefined, params: RequestParams): ConversationFile {
  if (!file || !fs.existsSync(file)) return { version: 1, params, turns: [] };
  const c = JSON.parse(fs.readFileSync(file, 'utf8')) as ConversationFile;
  if (c.version !== 1 || !Array.isArray(c.turns)) throw new UsageError(`${file} is not a deepseek-repo conversation`);
  return c;
}

async function cmdAsk(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { dir: { type: 'string', multiple: true }, model: { type: 'string' }, json: { type: 'boolean' }, conversation: { type: 'string' } },
  });
  const question = positionals.join(' ').trim();
  if (!question) throw new UsageError('ask needs a question');
  const json = !!values.json;
  const emit = (event: object) => process.stdout.write(JSON.stringify(event) + '\n');
  const defaults: RequestParams = { model: values.model ?? 'deepseek-v4-pro', maxTokens: DEFAULT_MAX_OUTPUT, thinking: true, reasoningEffort: 'high' };
  const conversation = loadConversation(values.conversation, defaults);
  // Parameters stay fixed within a conversation: a saved one keeps its own.
  const params = conversation.turns.length ? conversation.params : defaults;
  const pack = packWorkspace(roots(values.dir ?? []), { budgetTokens: budgetArg(undefined), question });
  const messages = buildMessages(pack.text, conversation.turns, question);

  const apiKey = process.env.DEEPSEEK_API_KEY?.trim();
  if (!apiKey) {
    const included = pack.files.filter((f) => f.status === 'included').length;
    const summary = `No DEEPSEEK_API_KEY set: nothing was sent.\nWould send ${included} files, about ${pack.tokens} tokens of repository to ${params.model}.\nSet a key with: export DEEPSEEK_API_KEY=sk-...\n`;
    if (json) emit({ type: 'dryRun', model: params.model, tokens: pack.tokens, files: packJson(pack).files });
    process.stderr.write(summary);
    return 2;
  }

  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once('SIGINT', onSigint);
  const result = await streamChat(
    { baseUrl: process.env.DEEPSEEK_BASE_URL || 'https://api.deepseek.com', apiKey },
    messages,
    params,
    {
      onReasoning: (text) => (json ? emit({ type: 'reasoning', text }) : process.stderr.write(text)),
      onContent: (text) => (json ? emit({ type: 'content', text }) : process.stdout.write(text)),
      onUsage: (u) => json && emit({ type: 'usage', promptTokens: u.promptTokens, cacheHitTokens: u.cacheHitTokens, cacheMissTokens: u.cacheMissTokens, completionTokens: u.completionTokens }),
    },
    abort.signal,
  );
  process.off('SIGINT', onSigint);
  if (json) emit({ type: 'end', outcome: result.outcome, ...(result.finishReason ? { finishReason: result.finishReason } : {}), ...(result.error ? { error: result.error } : {}) });
  else {
    if (!result.content.endsWith('\n')) process.stdout.write('\n');
    if (result.error) process.stderr.write(`error: ${result.error.message}\n`);
    else if (result.outcome !== 'complete') process.stderr.write(`(${result.outcome})\n`);
  }
  if (values.conversation) {
    conversation.params = params;
    conversation.turns.push({ question, answer: result.content, reasoning: result.reasoning, outcome: result.outcome });
    fs.writeFileSync(values.conversation, JSON.stringify(conversation, null, 2));
  }
  return result.outcome === 'complete' ? 0 : result.outcome === 'cancelled' ? 130 : 1;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === 'pack') return await cmdPack(rest);
    if (command === 'ask') return await cmdAsk(rest);
    if (command === '--help' || command === '-h' || command === 'help') {
      process.stdout.write(USAGE + '\n');
      return 0;
    }
    throw new UsageError(command ? `unknown command: ${command}` : 'no command');
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`deepseek-repo: ${(e as Error).message}\n${USAGE}\n`);
      return 2;
    }
    throw e;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      process.stderr.write(`deepseek-repo: ${(e as Error).stack ?? e}\n`);
      process.exit(1);
    },
  );
}
