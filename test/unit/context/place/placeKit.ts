// What the placement tests share: a candidate file as the budget sees it, a function body of n lines, and
// the pack's header for a tree.
import { type Candidate } from '../../../../src/context/place/budget';
import { importSpecifiers } from '../../../../src/context/place/imports';
import { makeOutline } from '../../../../src/context/read/processFile';
import { fileBlock, PACK_FOOTER, renderHeader } from '../../../../src/context/place/render';
import { countTokens } from '../../../../src/context/tokens';

export const cand = (label: string, text: string, extra: Partial<Candidate> = {}): Candidate => ({
  label,
  abs: `/w/${label}`,
  text: () => text,
  imports: () => importSpecifiers(label, text),
  tokens: async () => countTokens(fileBlock(label, text)),
  knownTokens: () => undefined,
  block: () => fileBlock(label, text),
  bytes: text.length,
  minTokens: Math.ceil(fileBlock(label, text).length / 8),
  recency: 0,
  changedInGit: false,
  outline: () => makeOutline(label, text) ?? undefined,
  sentOutline: () => makeOutline(label, text) ?? undefined, // no secrets here
  ...extra,
});
export const body = (name: string, n: number) =>
  `export function ${name}(x: number): number {\n${'  x = x * 2 + 1; // step\n'.repeat(n)}  return x;\n}\n`;
export const header = (tree: Parameters<typeof renderHeader>[1]) => renderHeader([{ name: 'w', path: '/w' }], tree);
export const head = async (tree: Parameters<typeof renderHeader>[1]) => ({
  text: header(tree),
  tokens: countTokens(header(tree) + PACK_FOOTER),
});
