// `ask` without --json: the answer on stdout, for a pipe or a file; thinking, the context line,
// tool steps, usage, cost and notes on stderr, for the person watching.
import { costRange, missesWhy } from '../chat/estimateWords';
import type { SessionListener } from '../chat/sessionTypes';
import { formatUsd } from '../llm/cost';
import { whatHappened } from '../llm/errors';

const pct = (part: number, whole: number) => (whole ? Math.round((100 * part) / whole) : 0);
const num = (n: number) => n.toLocaleString('en-US');

/**
 * The answer on stdout; thinking, context, usage and cost on stderr. `conversation`: the --conversation file, which
 * `--continue` needs to finish a cut answer.
 */
export function plainPrinter(
  write: (text: string) => void,
  { conversation }: { conversation?: string | undefined } = {},
): SessionListener {
  let answered = '';
  /** Thinking was printed up to the middle of a line: what comes next on stderr starts a line of its own. */
  let midLine = false;
  const say = (text: string) => {
    if (midLine && !text.startsWith('\n')) write('\n');
    midLine = false;
    write(text);
  };
  return (e) => {
    switch (e.type) {
      case 'context': {
        const est = e.estimate;
        const edits = e.update ? e.update.changed.length + e.update.added.length + e.update.removed.length : 0;
        const changed = edits ? `; ${edits} changed files appended` : '';
        const joined = (e.update?.joined ?? [])
          .map(
            (j) => `joined whole: ${j.path} (${j.was} before; ${j.reasons.join('; ') || 'ranked for the question'})\n`,
          )
          .join('');
        const pictures = e.images ? ` and ${e.images.count} image${e.images.count === 1 ? '' : 's'}` : '';
        return say(
          `${e.files} files${pictures}, ~${num(est.promptTokens)} tokens${e.warmup ? ' after a cache warm-up' : ''}` +
            `${costRange(est) ? `, ${costRange(est)}` : ''}${changed}
${missesWhy(est)}
${joined}`,
        );
      }
      case 'warmup':
        return e.usage
          ? say(
              `warmed the cache: ${num(e.usage.promptTokens)} ` +
                `tokens${e.costUsd !== undefined ? `, ${formatUsd(e.costUsd)}` : ''}\n`,
            )
          : undefined;
      case 'reasoning':
        write(e.text);
        midLine = !e.text.endsWith('\n');
        return;
      case 'content':
        if (!answered) say('\n');
        answered += e.text;
        process.stdout.write(e.text);
        return;
      case 'retry':
        return say(
          `\n${whatHappened(e.error.message)}: retrying in ${Math.ceil(e.delayMs / 1000)} s (attempt ${e.attempt}).\n`,
        );
      case 'window':
        return say(`note: ${e.message}\n`);
      case 'tool_call':
        if (answered && !answered.endsWith('\n')) process.stdout.write('\n');
        answered = '';
        return say(`\n→ ${e.name} ${oneLine(e.arguments, 160)}\n`);
      case 'tool_result':
        return say(`  ${e.ok ? '✓' : '✗'} ${e.summary}\n`);
      case 'usage':
        if (answered && !answered.endsWith('\n')) process.stdout.write('\n');
        return say(
          `${num(e.usage.promptTokens)} input tokens (${pct(e.usage.cacheHitTokens, e.usage.promptTokens)}% ` +
            `from cache), ${num(e.usage.completionTokens)} output` +
            (e.turn?.costUsd !== undefined
              ? `, ${formatUsd(e.turn.costUsd)}` +
                (e.turn.warmupUsd ? ` with the cache warm-up's ${formatUsd(e.turn.warmupUsd)}` : '')
              : e.cost
                ? `, ${formatUsd(e.cost.totalUsd)}`
                : '') +
            '\n',
        );
      case 'end': {
        // An agent turn goes on acting only when asked with --agent again.
        const again = e.steps ? '--agent' : '';
        if (e.error) {
          say(`error: ${e.error.message}\n`);
          if (e.outcome === 'interrupted') say(`(${toFinish(conversation, again)})\n`);
        } else if (e.stopped === 'step-limit')
          say(`(stopped after ${e.steps ?? 0} tool steps, the step limit: ${toFinish(conversation, '--agent')})\n`);
        else if (e.outcome === 'interrupted') say(`(interrupted: ${toFinish(conversation, again)})\n`);
        else if (e.outcome !== 'complete') say(`(${e.outcome})\n`);
        else if (e.outputLimitTokens !== undefined)
          say(
            `(the answer reached the output limit, max_tokens ${num(e.outputLimitTokens)}: ` +
              `${toFinish(conversation)})\n`,
          );
        if (e.warning) say(`warning: ${e.warning}\n`);
        if (e.conversationCostUsd > 0) say(`conversation so far: ${formatUsd(e.conversationCostUsd)}\n`);
        return;
      }
      default:
    }
  };
}

/**
 * How to finish a cut answer or agent turn (`flags`: what else `--continue` needs, `--agent`): `--continue` on its
 * conversation file, which only `--conversation` keeps.
 */
function toFinish(conversation: string | undefined, flags = ''): string {
  const more = flags ? ` ${flags}` : '';
  if (!conversation)
    return `ask again with --conversation FILE, then --continue${more} --conversation FILE finishes it`;
  return `run again with --continue${more} --conversation ${shellWord(conversation)} to finish it`;
}

/** `word` as one shell word: as is when that is safe, else in single quotes. */
export function shellWord(word: string): string {
  return /^[\w./@%+=:,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** `text` on one line for people, at most `max` characters. */
function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
