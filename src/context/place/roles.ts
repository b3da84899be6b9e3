// Where a file sits (the project's own code, its tests, examples and docs, or code vendored or
// generated into it) and how much that lets it count in the ranking, unless the question points at
// tests, docs, examples or benchmarks: then those count in full. Used by rank.ts.
import type { Linguist } from '../types';

/** Where a file sits: the project's own code, its tests/examples/docs, or code vendored or generated into it. */
export type PathRole = 'own' | 'auxiliary' | 'vendored';

// Prose (changelogs, guides, notes) is documentation wherever it sits; a README describes the code beside it.
// `libs/` counts only below the top (examples/jsm/libs/): at the top it is an Nx-style workspace of the project's own
// libraries.
const VENDORED =
  /(^|\/)(vendors?|vendored|third[_-]?party|3rd[_-]?party|externals?|extern|bower_components|jspm_packages|node_modules|dist|build|out)\/|\/libs\//i;
const AUXILIARY =
  /(^|\/)(tests?|__tests__|specs?|e2e|fixtures?|__fixtures__|__mocks__|testdata|test[_-]data|examples?|samples?|demos?|docs?|documentation|benchmarks?|bench|playground|stories)\/|\.(test|spec|stories)\.[^/]+$|_test\.(go|py)$|(^|\/)test_[^/]+\.py$|(^|\/)(?!readme\.)[^/]+\.(md|mdx|markdown|rst|adoc)$/i;

/**
 * Declarations of an API implemented elsewhere (TypeScript's .d.ts, Python's .pyi stubs): they say what the code
 * accepts, not what it does, so they count like docs unless the question is about types.
 */
const DECLARATION = /\.d\.[mc]?ts$|\.pyi$/i;

/**
 * The role a path suggests (root-relative label), unless .gitattributes says (linguist-vendored,
 * linguist-documentation).
 */
export function pathRole(label: string, linguist?: Linguist): PathRole {
  if (linguist?.vendored ?? VENDORED.test(label)) return 'vendored';
  if (linguist?.documentation ?? (AUXILIARY.test(label) || DECLARATION.test(label))) return 'auxiliary';
  return 'own';
}

/** How much a test, doc or example counts when the question does not point at tests, docs or examples. */
export const AUXILIARY_FACTOR = 0.3;
/** The same for vendored and generated code. */
export const VENDORED_FACTOR = 0.15;
/** Whether the question asks about tests, docs, examples, benchmarks or types: those files then count in full. */
export function questionPointsAt(qLower: string): (label: string) => boolean {
  const tests = /\b(tests?|testing|specs?|fixtures?|mocks?|e2e|unit)\b/.test(qLower);
  const docs = /\b(docs?|documentation|readme|guide|tutorial|changelog)\b/.test(qLower);
  const examples = /\b(examples?|samples?|demos?|playground)\b/.test(qLower);
  const bench = /\bbench(mark)?s?\b/.test(qLower);
  const types = /\b(types?|typed|typings?|typescript|ts|declarations?|stubs?|pyi|infer|inference|generics?)\b/.test(
    qLower,
  );
  return (label) => {
    const l = label.toLowerCase();
    return (
      (tests && /(^|\/|[._])(tests?|__tests__|specs?|fixtures?|__mocks__|e2e)([/._]|$)|_test\.|\/test_/.test(l)) ||
      (docs && /(^|\/)(docs?|documentation)\/|\.(md|mdx|rst)$/.test(l)) ||
      (examples && /(^|\/)(examples?|samples?|demos?|playground)\//.test(l)) ||
      (bench && l.includes('bench')) ||
      (types && DECLARATION.test(l))
    );
  };
}
