// A conversation as a Markdown document a person can read, share or commit: questions, answers,
// the thinking folded away, what was cut, and what it cost. The repository itself is not included.
import { formatUsd } from '../llm/cost';
import { turnsOf, type ConversationState } from './conversation';

/** A fence longer than any backtick run in `text`, so an answer's own code blocks stay intact. */
function fence(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  return '`'.repeat(longest + 1);
}

const quote = (text: string) =>
  text
    .split('\n')
    .map((l) => (l ? `> ${l}` : '>'))
    .join('\n');

/** The conversation as Markdown (UTF-8 text). Times are printed in UTC. */
export function exportMarkdown(state: ConversationState): string {
  const iso = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
  const p = state.params;
  const out: string[] = [
    `# ${state.title.replace(/\n/g, ' ')}`,
    '',
    `- Started: ${iso(state.createdAt)}`,
    `- Model: \`${p.model}\`, thinking ${p.thinking ? `on (effort ${p.reasoningEffort})` : 'off'}, max ${p.maxTokens} output tokens`,
    ...(state.base
      ? [
          `- Repository: ${Object.keys(state.base.manifest.files).length} files, about ${state.base.tokens} tokens (pack ${state.base.hash.slice(0, 12)})`,
        ]
      : []),
    `- Cost: ${formatUsd(state.spentUsd)}`,
    '',
  ];
  turnsOf(state).forEach((t, i) => {
    out.push(
      `## ${i + 1}. Question`,
      '',
      quote(t.question),
      '',
      ...(t.editor ? [`_In the editor: ${t.editor}_`, ''] : []),
    );
    if (t.reasoning) {
      const f = fence(t.reasoning);
      out.push('<details><summary>Thinking</summary>', '', `${f}text`, t.reasoning, f, '', '</details>', '');
    }
    out.push('### Answer', '', t.answer || '_(no answer)_', '');
    const notes: string[] = [];
    if (t.outcome === 'interrupted')
      notes.push(t.streaming ? 'the answer was cut off (the app stopped while it streamed)' : 'the answer was cut off');
    if (t.outcome === 'cancelled') notes.push('stopped by the user');
    if (t.outcome === 'error') notes.push(`error: ${t.error?.message ?? 'unknown'}`);
    if (t.finishReason === 'length') notes.push('the answer reached the output limit');
    if (t.usage) {
      const u = t.usage;
      const pct = u.promptTokens ? Math.round((100 * u.cacheHitTokens) / u.promptTokens) : 0;
      notes.push(
        `${u.promptTokens} input tokens (${pct}% from cache), ${u.completionTokens} output${t.costUsd !== undefined ? `, ${formatUsd(t.costUsd)}` : ''}`,
      );
    }
    if (notes.length) out.push(`_${notes.join(' · ')}_`, '');
  });
  return out.join('\n').trimEnd() + '\n';
}
