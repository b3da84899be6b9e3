// The Context inspector's tree, built from a Pack without vscode.
import * as assert from 'node:assert/strict';
import type { Pack } from '../../../src/context/types';
import { buildInspectorTree, costRange, type InspectorNode } from '../../../src/ui/inspectorModel';

const pack: Pack = {
  text: '',
  tokens: 1_000_000,
  manifest: { hash: 'h', tokens: 1_000_000, files: {} },
  roots: [
    { name: 'web', path: '/w/web' },
    { name: 'api', path: '/w/api' },
  ],
  files: [
    { root: 'web', path: 'web/src/a.ts', bytes: 10, tokens: 600_000, status: 'included', hash: 'x' },
    {
      root: 'web',
      path: 'web/src/b.ts',
      bytes: 10,
      tokens: 50,
      status: 'outline',
      reason: 'budget',
      hash: 'y',
      unsaved: true,
      reasons: ['question words: cache, query'],
      rank: 7,
      placement: 'outline: no room left for it whole at its rank',
    },
    {
      root: 'web',
      path: 'web/node_modules/',
      bytes: 0,
      tokens: 0,
      status: 'excluded',
      reason: 'gitignore',
      detail: '.gitignore:1: node_modules/',
    },
    { root: 'web', path: 'web/.env', bytes: 5, tokens: 0, status: 'excluded', reason: 'secret-file' },
    { root: 'api', path: 'api/main.py', bytes: 10, tokens: 399_950, status: 'included', hash: 'z' },
  ],
  redactions: [{ path: 'web/src/a.ts', line: 7, rule: 'github-pat' }],
  warnings: [],
  stats: { scannedFiles: 3, readBytes: 0, elapsedMs: 1, tokenCacheHits: 0 },
};

const find = (nodes: InspectorNode[], id: string): InspectorNode | undefined => {
  for (const n of nodes) {
    if (n.id === id) return n;
    const hit = find(n.children ?? [], id);
    if (hit) return hit;
  }
  return undefined;
};

describe('inspector model', () => {
  const at = new Date('2026-11-22T12:00:00Z'); // off-peak (a Sunday)
  const tree = buildInspectorTree(pack, ['deepseek-v4-pro', 'deepseek-flash'], at);

  it('summarises tokens, files and the cost range per model', () => {
    assert.equal(tree[0]!.label, '1,000,000 tokens');
    assert.equal(tree[0]!.description, '2 whole · 1 outlined · 2 left out');
    assert.match(tree[0]!.tooltip!, /2 files whole, 1 outlined, 2 left out\.$/);
    assert.equal(find(tree, 'cost:deepseek-v4-pro')!.description, '$0.66 · $0.02 cached');
    assert.match(find(tree, 'cost:deepseek-v4-pro')!.tooltip!, /\$0\.66 for the first question/);
    assert.equal(find(tree, 'cost:deepseek-flash')!.description, '$0.15 · $0.0030 cached');
    assert.equal(find(tree, 'redactions')!.label, '1 secrets redacted');
    assert.deepEqual(costRange(1_000_000, 'local-model', at), {});
  });

  it('keeps the summary row short where a narrow view elides it: no zero counts', () => {
    const whole = { ...pack, files: pack.files.filter((f) => f.status === 'included') };
    const [summary] = buildInspectorTree(whole, ['deepseek-v4-pro'], at);
    assert.equal(summary!.description, '2 whole');
  });

  it('groups files per folder and directory with tokens, status, reason and redactions', () => {
    assert.deepEqual(
      tree.slice(1).map((n) => [n.label, n.description]),
      [
        ['web', '600,050 tokens · 2 files'],
        ['api', '399,950 tokens · 1 files'],
      ],
    );
    const a = find(tree, 'web:src/a.ts')!;
    assert.deepEqual(
      [a.label, a.description, a.canExclude, a.canInclude],
      ['a.ts', '600,000 tokens · 1 redacted', true, false],
    );
    assert.deepEqual(
      a.children!.map((c) => [c.label, c.description, c.line]),
      [['line 7', 'github-pat', 7]],
    );
    const b = find(tree, 'web:src/b.ts')!;
    assert.equal(b.description, 'outline · 50 tokens · unsaved');
    assert.match(b.tooltip!, /unsaved/);
    // Why it is an outline: its rank, what the budget did, and the reasons of its rank.
    assert.match(b.tooltip!, /#7 in the ranking for the question: outline: no room left for it whole at its rank/);
    assert.match(b.tooltip!, /why: question words: cache, query/);
    assert.doesNotMatch(find(tree, 'web:src/a.ts')!.tooltip!, /ranking|why:/);
    const nm = find(tree, 'web:node_modules/')!;
    assert.deepEqual(
      [nm.label, nm.description, nm.canInclude, nm.canExclude],
      ['node_modules/', 'left out: gitignore', true, false],
    );
    assert.match(nm.tooltip!, /\.gitignore:1: node_modules\//);
    const env = find(tree, 'web:.env')!;
    assert.deepEqual([env.canInclude, env.canExclude], [false, false]);
    const src = find(tree, 'web:src/')!;
    assert.deepEqual([src.kind, src.description], ['dir', '600,050 tokens · 2/2 files']);
  });
});
