// `deepseek-repo ask "QUESTION" [--dir DIR] [--model ID] [--json] [--conversation FILE]`
import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import { packWorkspace } from '../context/pack';
import { buildMessages, type PastTurn } from '../chat/prompt';
import { streamChat } from '../llm/client';
import type { ChatResult, RequestParams } from '../llm/types';
import { DEFAULT_MAX_OUTPUT, UsageError, budgetArg, packJson, roots } from './common';

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

export async function cmdAsk(argv: string[]): Promise<number> {
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
  const pack = await packWorkspace(roots(values.dir ?? []), { budgetTokens: budgetArg(undefined), question });
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
