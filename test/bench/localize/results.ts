// What a localize run found: the records a run is kept in (results/*.json, `--part` files), the table it
// prints, the parts `--combine` joins, and the `localize` section of BENCHMARKS.md.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { machineLine } from '../report';
import type { Latency } from './latency';

export interface Cell {
  tasks: number;
  ours: number;
  bm25: number;
  follow: number;
  followTasks: number;
  /** Tasks whose fix changed files that together are bigger than this window's repository budget. */
  tooBig?: number;
}
export interface SetResult {
  name: string;
  language: string;
  tasks: number;
  /** Tasks whose files the pack could never send (left out by path or content rules, or missing). */
  unreachable: number;
  files: number;
  tokens: number;
  byWindow: Record<number, Cell>;
}
export interface Run {
  label: string;
  date: string;
  commit: string;
  sets: SetResult[];
}

const pct = (n: number, d: number) => (d ? `${Math.round((100 * n) / d)}%` : '–');
export const num = (n: number) => n.toLocaleString('en-US');

/** The run as a table: each set's found rates per window (ours / BM25) and its follow-ups. */
export function table(run: Run, windows: number[]): string {
  const head =
    `| set | tasks | ${windows.map((w) => `${num(w)} ours / BM25`).join(' | ')} | ` +
    `${windows.map((w) => `follow-ups ${num(w)}`).join(' | ')} |`;
  const sep = `|---|---:|${windows.map(() => '---:').join('|')}|${windows.map(() => '---:').join('|')}|`;
  const rows = run.sets.map((s) => {
    const unreachable = s.unreachable ? ` (${s.unreachable} unreachable)` : '';
    const found = windows.map((w) => {
      const c = s.byWindow[w];
      return c ? `${pct(c.ours, c.tasks)} / ${pct(c.bm25, c.tasks)}` : '–';
    });
    const follow = windows.map((w) => (s.byWindow[w] ? pct(s.byWindow[w].follow, s.byWindow[w].followTasks) : '–'));
    return (
      `| ${s.name} (${s.language}, ${num(s.files)} files, ${num(s.tokens)} tokens) | ${s.tasks}${unreachable} | ` +
      `${found.join(' | ')} | ${follow.join(' | ')} |`
    );
  });
  const mean = (f: (c: Cell) => number) =>
    windows.map((w) => {
      const cells = run.sets.map((s) => s.byWindow[w]).filter((c): c is Cell => !!c && c.tasks > 0);
      return cells.length ? `${Math.round((100 * cells.reduce((a, c) => a + f(c), 0)) / cells.length)}%` : '–';
    });
  const ours = mean((c) => c.ours / c.tasks);
  const bm = mean((c) => c.bm25 / c.tasks);
  const follow = windows.some((w) => run.sets.some((s) => s.byWindow[w]?.followTasks))
    ? mean((c) => (c.followTasks ? c.follow / c.followTasks : 0))
    : windows.map(() => '–');
  rows.push(
    `| **mean of sets** | ${run.sets.reduce((n, s) => n + s.tasks, 0)} | ` +
      `${ours.map((o, i) => `**${o}** / ${bm[i]}`).join(' | ')} | ${follow.join(' | ')} |`,
  );
  return [head, sep, ...rows].join('\n');
}

/** A run written by `--part`, for `--combine`. */
export interface Part {
  run: Run;
  latency?: Latency & { name: string };
  seconds: number;
  loadBefore: number;
  loadAfter: number;
  command: string;
  /** A combined run's parts: each one's sets and time (s). */
  parts?: { sets: string; seconds: number }[];
}

/**
 * A command as someone would retype it: `npm run bench:localize -- ARGS`, a `--part` or `--combine` file by its name
 * alone (runs before this wrote the whole /tmp path and no `--`).
 */
export function commandLine(args: readonly string[]): string {
  const shown = args.map((a, i) =>
    args[i - 1] === '--part' || args[i - 1] === '--combine'
      ? a
          .split(',')
          .map((f) => path.basename(f))
          .join(',')
      : a,
  );
  const rest = shown[0] === '--' ? shown.slice(1) : shown;
  return ['npm run bench:localize', ...(rest.length ? ['--', ...rest] : [])].join(' ');
}

/** The parts `--combine` names, as one run (sets in the order given; the latency of the part that has one). */
export function combined(files: string[]): Part {
  const parts = files.map((f) => JSON.parse(fs.readFileSync(f, 'utf8')) as Part);
  const latency = parts.find((p) => p.latency)?.latency;
  const loads = parts.flatMap((p) => [p.loadBefore, p.loadAfter]);
  // Whether the parts ran one after another or side by side is not recorded: each part's time is given.
  return {
    run: { ...parts[0]!.run, sets: parts.flatMap((p) => p.run.sets) },
    ...(latency ? { latency } : {}),
    seconds: parts.reduce((n, p) => n + p.seconds, 0),
    loadBefore: Math.min(...loads),
    loadAfter: Math.max(...loads),
    command: `${parts
      .map(
        (p) =>
          `\`${commandLine(
            p.command
              .replace(/^npm run bench:localize\s*/, '')
              .split(/\s+/)
              .filter(Boolean),
          )}\``,
      )
      .join(', ')}, then \`${commandLine(['--combine', files.join(',')])}\``,
    parts: parts.map((p) => ({ sets: p.run.sets.map((x) => x.name).join(', '), seconds: p.seconds })),
  };
}

/** The `localize` section of BENCHMARKS.md for this run, the runs `saved` earlier after it. */
export function section(part: Part, saved: Run[], windows: number[]): string {
  const { run, latency } = part;
  return `## Localisation (\`npm run bench:localize\`)

${wrap(`${machineLine()}. Run on ${run.date} at ${run.commit}, ${timing(part)}.`)}

Does the pack send whole the files a fix changed, given the fix's subject as the question? Task sets
in \`test/bench/localize/sets/\` (how they are made and rebuilt: \`test/bench/localize/README.md\`): real
fix commits of public repositories, each repository checked out at the fix's parent and packed for
the question by the engine the CLI's \`ask --window W\` runs, at the repository budget of that window.
Found = every file the fix changed is sent whole. BM25 = plain BM25 over whole files (identifiers
split at camelCase and snake_case) filling the same budget. Follow-ups = the same question asked after
another task's question opened the conversation on the same tree: its files whole in the first pack or
joining whole with the follow-up (\`updatesSince\`, a tenth of the budget to append, the chat's cap). Sizes are
at the first task.
${ceilings(run, windows)}
Rules are also checked on sets they were not tuned on (\`quick.ts --set-files\`): how, and their numbers, in
\`test/bench/localize/README.md\`.

${table(run, windows)}
${
  latency
    ? `
Ranking a new question, warm, on ${latency.name} at its head (${num(latency.files)} files the pack could send; term
statistics, imports and past commits made once, as the engine keeps them): median
${Math.round(latency.rankMedian)} ms wall clock (slowest ${Math.round(latency.rankMax)} ms),
**${Math.round(latency.rankCpuMedian)} ms CPU** over ${latency.questions} questions; the engine's whole warm pack for
a new question (walk, freshness, ranking, budget, assembly): median
${Math.round(latency.packMedian)} ms wall clock, ${Math.round(latency.packCpuMedian)} ms CPU (all threads). Wall clock
follows the machine's load (above); CPU time is what the work costs.
`
    : ''
}
${saved.map((s) => `\nEarlier: ${s.label} (${s.date}, ${s.commit})\n\n${table(s, windows)}\n`).join('')}`;
}

/** How long the run took and the load it ran under, as the section's first line says it. */
function timing(part: Part): string {
  const each = part.parts ? ` (${part.parts.map((p) => `${p.sets} ${Math.round(p.seconds)}`).join(', ')})` : '';
  const load = part.parts
    ? `load average between ${part.loadBefore.toFixed(1)} and ${part.loadAfter.toFixed(1)}`
    : `load average ${part.loadBefore.toFixed(1)} at the start and ${part.loadAfter.toFixed(1)} at the end`;
  const command = part.parts ? part.command : `\`${part.command}\``;
  return `${Math.round(part.seconds)} s${part.parts ? ' of parts' : ''}${each}, ${load} (${command})`;
}

/** `text` as lines of at most `width` characters, broken at spaces (a code span broken so reads the same). */
function wrap(text: string, width = 116): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line].join('\n');
}

/** What the smallest window can find at most, where a fix's files alone are bigger than its budget. */
function ceilings(run: Run, windows: number[]): string {
  const w = Math.min(...windows);
  const capped = run.sets.filter((s) => s.byWindow[w]?.tooBig);
  const at1M = `At the full window BM25 + 10 points is out of reach where BM25 is already at 97-100%.`;
  if (!capped.length) return `\n${at1M}\n`;
  const sets = capped.map((s) => {
    const c = s.byWindow[w]!;
    return `${c.tooBig} of ${s.name}'s ${c.tasks} fixes (at most ${pct(c.tasks - c.tooBig!, c.tasks)} found)`;
  });
  const capText =
    `At ${num(w)} the fixes' files alone are bigger than the repository budget in ${sets.join(' and ')}: ` +
    'no ranking finds those there.';
  return `
${wrap(capText)}
${at1M}
`;
}
