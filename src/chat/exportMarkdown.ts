// A conversation as a Markdown document a person can read, share or commit: questions, answers,
// the thinking folded away, what was cut, and what it cost. The repository itself is not included.
// The questions' images are in it as `data:` URLs, in reference definitions at the end, so the
// export stays one self-contained document (it opens as an untitled editor the user saves anywhere:
// files beside it would have no folder to go to, and relative links would break once it is moved),
// while the text above stays readable (each image is a one-line `![name][image-…]` where it was
// asked). VS Code's Markdown preview shows them; GitHub does not render `data:` images.
import { formatUsd } from '../llm/cost';
import { formatBytes, type ImageRef } from '../protocol/images';
import { stepLabel } from './agent/stepView';
import { turnsOf, type AgentStep, type ConversationState } from './conversation';
import { ImageUrlCache, type ImageStore } from './imageStore';

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

/** An image's line in a question: its name and size, linked to its definition at the end. */
function imageLine(r: ImageRef, label: string): string {
  const name = (r.name ?? 'image').replace(/[[\]\n]/g, ' ');
  const scaled = r.scaledFrom ? `, scaled down from ${r.scaledFrom.width}×${r.scaledFrom.height}` : '';
  return `![${name} (${r.width}×${r.height}, ${formatBytes(r.bytes)}${scaled})][${label}]`;
}

/**
 * An agent turn's tool calls as a list: what each did and what it gave (results longer than a line folded away).
 */
function stepLines(steps: AgentStep[]): string[] {
  const out: string[] = [];
  for (const s of steps)
    for (const call of s.calls) {
      const r = s.results.find((x) => x.id === call.id);
      out.push(`- \`${stepLabel(call).replace(/`/g, "'")}\`: ${r ? r.summary : '_not run_'}`);
      if (r?.content.includes('\n')) {
        const f = fence(r.content);
        out.push(
          '  <details><summary>What the model was told</summary>',
          '',
          `  ${f}text`,
          ...r.content
            .trimEnd()
            .split('\n')
            .map((l) => `  ${l}`),
          `  ${f}`,
          '',
          '  </details>',
        );
      }
    }
  return out;
}

/** The conversation as Markdown (UTF-8 text), with the images of `images` inside it. Times are printed in UTC. */
export function exportMarkdown(state: ConversationState, images?: ImageStore): string {
  const urls = images && new ImageUrlCache(images);
  const definitions = new Map<string, string>();
  const iso = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
  const p = state.params;
  const out: string[] = [
    `# ${state.title.replace(/\n/g, ' ')}`,
    '',
    `- Started: ${iso(state.createdAt)}`,
    `- Model: \`${p.model}\`, thinking ${p.thinking ? `on (effort ${p.reasoningEffort})` : 'off'}, max ` +
      `${p.maxTokens} output tokens`,
    ...(state.base
      ? [
          `- Repository: ${Object.keys(state.base.manifest.files).length} files, about ${state.base.tokens} ` +
            `tokens (pack ${state.base.hash.slice(0, 12)})`,
        ]
      : []),
    `- Cost: ${formatUsd(state.spentUsd)}`,
    '',
  ];
  turnsOf(state).forEach((t, i) => {
    out.push(`## ${i + 1}. Question`, '');
    if (t.shown) {
      // An editor command: what the user asked for, then the prompt it sent, folded away.
      const files = t.shown.files?.length ? `\n\nFiles: ${t.shown.files.map((f) => `\`${f}\``).join(', ')}` : '';
      const f = fence(t.question);
      out.push(quote(t.shown.text + files), '', '<details><summary>Full prompt</summary>', '', `${f}text`);
      out.push(t.question, f, '', '</details>', '');
    } else out.push(quote(t.question), '');
    if (t.editor) out.push(`_In the editor: ${t.editor}_`, '');
    for (const r of t.images ?? []) {
      const label = `image-${r.sha256.slice(0, 16)}`;
      let url: string | undefined;
      try {
        url = definitions.get(label) ?? urls?.url(r);
      } catch {
        url = undefined; // the file is gone: said in the text instead
      }
      if (url) definitions.set(label, url);
      out.push(
        url ? imageLine(r, label) : `_(image ${r.name ?? r.sha256.slice(0, 12)}: no longer in the history)_`,
        '',
      );
    }
    if (t.reasoning) {
      const f = fence(t.reasoning);
      out.push('<details><summary>Thinking</summary>', '', `${f}text`, t.reasoning, f, '', '</details>', '');
    }
    if (t.steps?.length) out.push('### Steps', '', ...stepLines(t.steps), '');
    out.push('### Answer', '', t.answer || '_(no answer)_', '');
    const notes: string[] = [];
    if (t.outcome === 'interrupted')
      notes.push(t.streaming ? 'the answer was cut off (the app stopped while it streamed)' : 'the answer was cut off');
    if (t.stopped === 'step-limit') notes.push('stopped at the step limit');
    else if (t.outcome === 'cancelled') notes.push('stopped by the user');
    if (t.outcome === 'error') notes.push(`error: ${t.error?.message ?? 'unknown'}`);
    if (t.finishReason === 'length') notes.push('the answer reached the output limit');
    if (t.usage) {
      const u = t.usage;
      const pct = u.promptTokens ? Math.round((100 * u.cacheHitTokens) / u.promptTokens) : 0;
      notes.push(
        `${u.promptTokens} input tokens (${pct}% from cache), ${u.completionTokens} ` +
          `output${t.costUsd !== undefined ? `, ${formatUsd(t.costUsd)}` : ''}` +
          `${t.warmupUsd ? ` with the cache warm-up's ${formatUsd(t.warmupUsd)}` : ''}`,
      );
    }
    if (notes.length) out.push(`_${notes.join(' · ')}_`, '');
  });
  if (definitions.size)
    out.push('', '<!-- The images of the questions (data: URLs, so this document is whole on its own) -->', '');
  for (const [label, url] of definitions) out.push(`[${label}]: ${url}`);
  return out.join('\n').trimEnd() + '\n';
}
