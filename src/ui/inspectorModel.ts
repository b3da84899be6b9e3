// The Context inspector's model, without vscode: turns a Pack into the tree the view shows (a
// summary with totals and the cost range per model, then each folder's files with tokens, status,
// reason and redactions) and says which actions each node offers. Tested in plain Node.
import { costOf } from '../llm/cost';
import { INCLUDABLE } from '../context/scan/ignoreEdits';
import type { ExcludeReason, FileReport, FileStatus, Pack, Redaction } from '../context/types';

export interface InspectorNode {
  id: string;
  kind: 'summary' | 'info' | 'folder' | 'dir' | 'file' | 'redaction';
  label: string;
  description?: string;
  tooltip?: string;
  status?: FileStatus;
  reason?: ExcludeReason;
  /** Workspace folder name and path relative to it (folders end with '/'), for actions and opening. */
  root?: string;
  rel?: string;
  /** 1-based line, for redaction nodes. */
  line?: number;
  canExclude?: boolean;
  canInclude?: boolean;
  children?: InspectorNode[];
}

const fmt = (n: number) => n.toLocaleString('en-US');
const usd = (n: number | undefined) =>
  n === undefined
    ? 'no price known'
    : n === 0
      ? '$0'
      : n < 0.0001
        ? '<$0.0001'
        : n < 0.01
          ? `$${n.toFixed(4)}`
          : `$${n.toFixed(2)}`;

/** Cost range of sending `tokens` input tokens to `model` at `at`: every token a cache miss, and every token a hit. */
export function costRange(tokens: number, model: string, at: Date): { miss?: number; hit?: number } {
  const miss = costOf(
    { promptTokens: tokens, cacheHitTokens: 0, cacheMissTokens: tokens, completionTokens: 0 },
    model,
    at,
  );
  const hit = costOf(
    { promptTokens: tokens, cacheHitTokens: tokens, cacheMissTokens: 0, completionTokens: 0 },
    model,
    at,
  );
  return { ...(miss !== undefined ? { miss } : {}), ...(hit !== undefined ? { hit } : {}) };
}

/** The inspector tree for `pack`; `models` are priced (e.g. the pro and the flash model). */
export function buildInspectorTree(pack: Pack, models: string[], at: Date): InspectorNode[] {
  const count = (s: FileStatus) => pack.files.filter((f) => f.status === s && !f.path.endsWith('/')).length;
  const [whole, outlined, leftOut] = [
    count('included'),
    count('outline'),
    pack.files.filter((f) => f.status === 'excluded').length,
  ];
  // A narrow row elides its end: what matters first, and no "0 outlines" to push it out.
  const counts = [
    `${whole} whole`,
    ...(outlined ? [`${outlined} outlined`] : []),
    ...(leftOut ? [`${leftOut} left out`] : []),
  ];
  const summary: InspectorNode = {
    id: 'summary',
    kind: 'summary',
    label: `${fmt(pack.tokens)} tokens`,
    description: counts.join(' · '),
    tooltip:
      `The repository block sent as the start of every question (the cacheable prefix): ${whole} files whole, ` +
      `${outlined} outlined, ${leftOut} left out.`,
    children: [
      ...models.map((model): InspectorNode => {
        const { miss, hit } = costRange(pack.tokens, model, at);
        return {
          id: `cost:${model}`,
          kind: 'info',
          label: model,
          // The price first, so a narrow row elides words, not figures.
          description: `${usd(miss)} · ${usd(hit)} cached`,
          tooltip:
            `Input cost of the repository block per question on ${model}: ${usd(miss)} for the first question ` +
            `(a cache miss), ${usd(hit)} for follow-ups that hit DeepSeek's prefix cache.`,
        };
      }),
      {
        id: 'redactions',
        kind: 'info',
        label: `${pack.redactions.length} secrets redacted`,
        tooltip: 'Replaced by placeholders before anything is sent; see the files below.',
      },
      ...pack.warnings.map((w, i): InspectorNode => ({ id: `warning:${i}`, kind: 'info', label: w, tooltip: w })),
    ],
  };
  const multi = pack.roots.length > 1;
  const redactionsByPath = new Map<string, Redaction[]>();
  for (const r of pack.redactions) redactionsByPath.set(r.path, [...(redactionsByPath.get(r.path) ?? []), r]);
  const folders = pack.roots.map((root): InspectorNode => {
    const files = pack.files.filter((f) => f.root === root.name);
    const strip = (p: string) => (multi ? p.slice(root.name.length + 1) : p);
    const tokens = files.reduce((n, f) => n + f.tokens, 0);
    return {
      id: `root:${root.name}`,
      kind: 'folder',
      label: root.name,
      description: `${fmt(tokens)} tokens · ${files.filter((f) => f.status !== 'excluded').length} files`,
      tooltip: root.path,
      root: root.name,
      rel: '',
      children: buildDir(
        root.name,
        '',
        files.map((f) => ({ f, rel: strip(f.path) })),
        redactionsByPath,
      ),
    };
  });
  return [summary, ...folders];
}

function buildDir(
  root: string,
  prefix: string,
  items: { f: FileReport; rel: string }[],
  redactions: Map<string, Redaction[]>,
): InspectorNode[] {
  const dirs = new Map<string, { f: FileReport; rel: string }[]>();
  const leaves: InspectorNode[] = [];
  for (const item of items) {
    const rest = item.rel.slice(prefix.length);
    const slash = rest.indexOf('/');
    if (slash >= 0 && slash < rest.length - 1) {
      const name = rest.slice(0, slash);
      dirs.set(name, [...(dirs.get(name) ?? []), item]);
    } else leaves.push(fileNode(root, item.f, item.rel, redactions.get(item.f.path) ?? []));
  }
  const dirNodes = [...dirs].map(([name, children]): InspectorNode => {
    const rel = `${prefix}${name}/`;
    const tokens = children.reduce((n, c) => n + c.f.tokens, 0);
    const sent = children.filter((c) => c.f.status !== 'excluded').length;
    return {
      id: `${root}:${rel}`,
      kind: 'dir',
      label: name,
      description: `${fmt(tokens)} tokens · ${sent}/${children.length} files`,
      root,
      rel,
      canExclude: sent > 0,
      children: buildDir(root, rel, children, redactions),
    };
  });
  const byName = (a: InspectorNode, b: InspectorNode) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0);
  return [...dirNodes.sort(byName), ...leaves.sort(byName)];
}

function fileNode(root: string, f: FileReport, rel: string, redactions: Redaction[]): InspectorNode {
  const isDir = rel.endsWith('/');
  const name = (isDir ? rel.slice(0, -1) : rel).split('/').pop()!;
  const what =
    f.status === 'included'
      ? `${fmt(f.tokens)} tokens`
      : f.status === 'outline'
        ? `outline · ${fmt(f.tokens)} tokens`
        : `left out: ${f.reason}`;
  const secrets = redactions.length ? ` · ${redactions.length} redacted` : '';
  const unsaved = f.unsaved ? ' · unsaved' : '';
  return {
    id: `${root}:${rel}`,
    kind: isDir ? 'dir' : 'file',
    label: name + (isDir ? '/' : ''),
    description: what + secrets + unsaved,
    tooltip: [
      f.path,
      `${f.status}${f.reason ? ` (${f.reason})` : ''}`,
      f.detail,
      f.rank !== undefined ? `#${f.rank} in the ranking for the question: ${f.placement ?? f.status}` : undefined,
      f.reasons?.length ? `why: ${f.reasons.join('; ')}` : undefined,
      f.unsaved ? 'sent as the editor shows it (unsaved)' : undefined,
      `${fmt(f.bytes)} bytes`,
    ]
      .filter(Boolean)
      .join('\n'),
    status: f.status,
    ...(f.reason ? { reason: f.reason } : {}),
    root,
    rel,
    canExclude: f.status !== 'excluded' || f.reason === 'budget',
    canInclude: f.status === 'excluded' && !!f.reason && INCLUDABLE.has(f.reason),
    ...(redactions.length
      ? {
          children: redactions.map((r): InspectorNode => ({
            id: `${root}:${rel}:${r.line}:${r.rule}`,
            kind: 'redaction',
            label: `line ${r.line}`,
            description: r.rule,
            root,
            rel,
            line: r.line,
          })),
        }
      : {}),
  };
}
