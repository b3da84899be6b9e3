// The everyday editor tasks (explain, review, fix, tests, commit message, …) as prompts.
// Each task becomes the LAST user message of a one-shot conversation: the repository block stays the
// byte-identical prefix shared with every other command and the chat (so it hits DeepSeek's cache),
// and only this task-specific text differs. Pure functions: the VS Code side gathers the inputs.
import type { EditorFocus } from '../context/types';
import type { ShownQuestion } from './conversation';

export type TaskKind =
  | 'explainSelection'
  | 'explainFile'
  | 'reviewFile'
  | 'reviewChanges'
  | 'reviewBranch'
  | 'commitMessage'
  | 'fixProblems'
  | 'generateTests'
  | 'askFolder'
  | 'whereHandled';

/** Which configured model a task uses: the flagship (`model`) or the cheaper one (`fastModel`). */
export type ModelRole = 'pro' | 'flash';

export const DEFAULT_TASK_MODELS: Readonly<Record<TaskKind, ModelRole>> = {
  explainSelection: 'flash',
  explainFile: 'flash',
  reviewFile: 'pro',
  reviewChanges: 'pro',
  reviewBranch: 'pro',
  commitMessage: 'flash',
  fixProblems: 'pro',
  generateTests: 'pro',
  askFolder: 'pro',
  whereHandled: 'pro',
};

/** A piece of a workspace file (lines are 1-based, inclusive). */
export interface CodeSpan {
  /** Workspace-relative POSIX path, as it appears in the repository block. */
  path: string;
  /** Absolute path, for ranking when the repository does not fit. */
  absPath: string;
  language?: string;
  startLine: number;
  endLine: number;
  text: string;
}

export interface Problem {
  /** 1-based lines and columns. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: 'error' | 'warning' | 'info' | 'hint';
  message: string;
  source?: string;
  code?: string;
}

/** Uncommitted changes of one git repository. */
export interface RepoChanges {
  /** Repository label (its folder relative to the workspace, or its name). */
  name: string;
  staged: string;
  unstaged: string;
  /** Untracked (not ignored) files, relative to the repository root. */
  untracked: string[];
}

export interface TaskPrompt {
  kind: TaskKind;
  /** Short title for the panel tab / the turn header. */
  title: string;
  /** The text of the last user message. */
  question: string;
  /** What the user asked for, shown instead of `question` (which stays behind a disclosure). */
  shown: ShownQuestion;
  /** Ranking hints for the context engine when the repository does not fit. */
  focus: EditorFocus;
}

/** Largest diff (characters) put into one prompt; beyond it files are summarised, and the prompt says so. */
export const MAX_DIFF_CHARS = 400_000;

const LOCKFILE =
  /(^|\/)(package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|bun\.lockb?|Cargo\.lock|poetry\.lock|Pipfile\.lock|composer\.lock|Gemfile\.lock|go\.sum|flake\.lock)$/;

/** A markdown fence that the text cannot close: one backtick longer than its longest run. */
export function fence(text: string, info = ''): string {
  const longest = Math.max(2, ...Array.from(text.matchAll(/`+/g), (m) => m[0].length));
  const f = '`'.repeat(longest + 1);
  return `${f}${info}\n${text}${text.endsWith('\n') ? '' : '\n'}${f}`;
}

function numbered(span: CodeSpan): string {
  const width = String(span.endLine).length;
  return span.text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l, i) => `${String(span.startLine + i).padStart(width)}| ${l}`)
    .join('\n');
}

/** `n file(s)`. */
const files = (n: number) => `${n} ${n === 1 ? 'file' : 'files'}`;

/** The files a git diff touches (their new paths, in order, once each). */
export function diffFiles(diff: string): string[] {
  const paths = Array.from(diff.matchAll(/^diff --git a\/(\S+) b\/(\S+)$/gm), (m) => m[2]!);
  return [...new Set(paths)];
}

const where = (s: CodeSpan) =>
  s.startLine === s.endLine ? `${s.path}:${s.startLine}` : `${s.path}:${s.startLine}-${s.endLine}`;
const CITE = 'Cite code as `path:line` (workspace-relative) so it can be clicked.';
const EDITS =
  'Give every change in a code block whose info string names the target file, e.g. ```ts path=src/a.ts: the ' +
  'whole file, or SEARCH/REPLACE edits of it as the instructions describe, so it can be applied with a diff ' +
  'review. Never leave parts out with "…".';

export function explainSelection(span: CodeSpan): TaskPrompt {
  return {
    kind: 'explainSelection',
    title: `Explain ${where(span)}`,
    shown: { text: `Explain ${where(span)}`, files: [where(span)] },
    question: [
      `Explain the selected code from ${where(span)} (line numbers on the left):`,
      fence(numbered(span), span.language ?? ''),
      `Say what it does and why, how it fits into the repository (who calls it, what it relies on), and ` +
        `anything subtle or surprising. ${CITE}`,
    ].join('\n\n'),
    focus: { activeFile: span.absPath, selection: { startLine: span.startLine, endLine: span.endLine } },
  };
}

export function explainFile(path: string, absPath: string): TaskPrompt {
  return {
    kind: 'explainFile',
    title: `Explain ${path}`,
    shown: { text: `Explain ${path}`, files: [path] },
    question:
      `Explain the file \`${path}\` (it is in the repository above): its purpose, its main parts, how the rest ` +
      `of the repository uses it, and anything subtle. ${CITE}`,
    focus: { activeFile: absPath },
  };
}

const FINDINGS =
  'List findings most important first, each as: `path:line` — severity (bug / risk / style) — what is wrong ' +
  '— how to fix it. Say plainly when you find nothing worth changing.';

export function reviewFile(path: string, absPath: string): TaskPrompt {
  return {
    kind: 'reviewFile',
    title: `Review ${path}`,
    shown: { text: `Review ${path}`, files: [path] },
    question:
      `Review the file \`${path}\` (it is in the repository above) as a demanding senior reviewer: ` +
      `correctness, edge cases, error handling, security, concurrency, performance, and consistency with the ` +
      `rest of the repository. ${FINDINGS}`,
    focus: { activeFile: absPath },
  };
}

/** Shortens a diff that would flood the prompt: lockfiles summarised, the whole capped at `max` characters. */
export function compactDiff(diff: string, max = MAX_DIFF_CHARS): { text: string; omitted: string[] } {
  const omitted: string[] = [];
  const parts = diff.split(/^(?=diff --git )/m);
  const kept = parts.map((p) => {
    const file = /^diff --git a\/(\S+)/.exec(p)?.[1];
    if (file && LOCKFILE.test(file)) {
      omitted.push(`${file} (lockfile)`);
      return `diff --git a/${file} b/${file}\n(lockfile diff omitted: ${p.split('\n').length} lines)\n`;
    }
    return p;
  });
  let text = '';
  for (const [i, p] of kept.entries()) {
    if (text.length + p.length > max) {
      const rest = kept.slice(i).map((q) => /^diff --git a\/(\S+)/.exec(q)?.[1] ?? '(part)');
      omitted.push(...rest.map((f) => `${f} (over the ${max.toLocaleString('en-US')}-character diff limit)`));
      text += `\n(diff of ${rest.length} more file(s) omitted: ${rest.join(', ')})\n`;
      break;
    }
    text += p;
  }
  return { text, omitted };
}

function changesBlock(changes: RepoChanges[]): { text: string; omitted: string[] } {
  const omitted: string[] = [];
  const blocks = changes.map((c) => {
    const staged = compactDiff(c.staged);
    const unstaged = compactDiff(c.unstaged);
    omitted.push(...staged.omitted, ...unstaged.omitted);
    const lines = [`### Repository \`${c.name}\``];
    if (staged.text.trim()) lines.push('Staged changes:', fence(staged.text, 'diff'));
    if (unstaged.text.trim()) lines.push('Unstaged changes:', fence(unstaged.text, 'diff'));
    if (c.untracked.length)
      lines.push(
        `New untracked files (their content is in the repository above): ` +
          `${c.untracked.map((u) => `\`${u}\``).join(', ')}`,
      );
    return lines.join('\n\n');
  });
  return { text: blocks.join('\n\n'), omitted };
}

/** True when there is anything to review or describe. */
export function hasChanges(changes: RepoChanges[], stagedOnly = false): boolean {
  return changes.some((c) => c.staged.trim() || (!stagedOnly && (c.unstaged.trim() || c.untracked.length)));
}

export function reviewChanges(changes: RepoChanges[], changedFiles: string[]): TaskPrompt {
  const { text, omitted } = changesBlock(changes);
  const note = omitted.length ? `\n\nNot shown above: ${omitted.join('; ')}.` : '';
  const touched = [
    ...new Set(changes.flatMap((c) => [...diffFiles(c.staged), ...diffFiles(c.unstaged), ...c.untracked])),
  ];
  return {
    kind: 'reviewChanges',
    title: 'Review uncommitted changes',
    shown: { text: `Review uncommitted changes · ${files(touched.length)}`, files: touched },
    question:
      `Review these uncommitted changes (staged and unstaged) against the rest of the repository above: bugs ` +
      `they introduce, callers they break, missing tests, security problems, and anything inconsistent with ` +
      `how the codebase does things.\n\n${text}${note}\n\n${FINDINGS} Line numbers refer to the new version of ` +
      `each file.`,
    focus: { changedFiles },
  };
}

/** A branch's committed changes since it left its base (ui/git.ts `branchChanges`). */
export interface BranchChanges {
  /** The branch (or `HEAD` when detached) and the ref it is compared with. */
  branch: string;
  base: string;
  /** Subjects of the branch's commits, newest first. */
  commits: string[];
  /** `git diff` from the merge base to HEAD. */
  patch: string;
  /** Absolute paths of the files the patch touches (for ranking). */
  changedFiles: string[];
}

export function reviewBranch(b: BranchChanges): TaskPrompt {
  const { text, omitted } = compactDiff(b.patch);
  const commits = b.commits.length
    ? `Its commits, newest first:\n${b.commits
        .slice(0, 50)
        .map((s) => `- ${s}`)
        .join('\n')}${b.commits.length > 50 ? `\n- … and ${b.commits.length - 50} older` : ''}\n\n`
    : '';
  return {
    kind: 'reviewBranch',
    title: `Review ${b.branch} against ${b.base}`,
    shown: {
      text: `Review ${b.branch} against ${b.base} · ${files(diffFiles(b.patch).length)}`,
      files: diffFiles(b.patch),
    },
    question:
      `Review the changes of branch \`${b.branch}\` since it left \`${b.base}\`, as a pull request, against ` +
      `the rest of the repository above: bugs they introduce, callers they break, missing tests, security ` +
      `problems, and anything inconsistent with how the codebase does things. Uncommitted changes are not part ` +
      `of it.\n\n${commits}${fence(text, 'diff')}` +
      `${omitted.length ? `\n\nNot shown above: ${omitted.join('; ')}.` : ''}\n\n${FINDINGS} ` +
      `Line numbers refer to the files as they are in the repository above.`,
    focus: { changedFiles: b.changedFiles },
  };
}

export function commitMessage(changes: RepoChanges[], recentSubjects: string[]): TaskPrompt {
  const staged = changes.filter((c) => c.staged.trim()).map((c) => ({ ...c, unstaged: '', untracked: [] }));
  const { text, omitted } = changesBlock(staged);
  const style = recentSubjects.length
    ? `Match the style of this repository's recent commit subjects:\n${recentSubjects
        .slice(0, 10)
        .map((s) => `- ${s}`)
        .join('\n')}`
    : 'Use a conventional, imperative subject line.';
  return {
    kind: 'commitMessage',
    title: 'Write commit message',
    shown: {
      text: `Write a commit message · ${files(new Set(staged.flatMap((c) => diffFiles(c.staged))).size)} staged`,
      files: [...new Set(staged.flatMap((c) => diffFiles(c.staged)))],
    },
    question:
      `Write a git commit message for these staged ` +
      `changes.\n\n${text}${omitted.length ? `\n\nNot shown above: ${omitted.join('; ')}.` : ''}\n\n${style}\n\nA ` +
      `subject line of at most 72 characters, a blank line, then a short body that says why (wrapped at 72). ` +
      `Reply with the message only: no preamble, no code fence.`,
    focus: {},
  };
}

/** The commit message in an answer: without a code fence the model may have wrapped it in. */
export function commitMessageFrom(answer: string): string {
  const m = /^\s*(`{3,}|~{3,})[^\n]*\n([\s\S]*?)\n\1\s*$/.exec(answer);
  return (m ? m[2]! : answer).trim();
}

export function fixProblems(path: string, absPath: string, problems: Problem[]): TaskPrompt {
  const list = problems
    .map(
      (p) =>
        `- ${path}:${p.line}:${p.column}-${p.endLine}:${p.endColumn} ` +
        `${p.severity}${p.source ? ` [${p.source}${p.code ? ` ${p.code}` : ''}]` : ''}: ${p.message}`,
    )
    .join('\n');
  return {
    kind: 'fixProblems',
    title: `Fix problems in ${path}`,
    shown: {
      text: `Fix ${problems.length === 1 ? '1 problem' : `${problems.length} problems`} in ${path}`,
      files: [path],
    },
    question:
      `Fix these problems reported in \`${path}\` (the file as it is now is in the repository above or in the ` +
      `updated files):\n\n${list}\n\nExplain each fix in a sentence, then ${EDITS} Change only what the fixes ` +
      `need.`,
    focus: { activeFile: absPath },
  };
}

export function generateTests(span: CodeSpan, testStyle: string): TaskPrompt {
  return {
    kind: 'generateTests',
    title: `Tests for ${where(span)}`,
    shown: { text: `Write tests for ${where(span)}`, files: [where(span)] },
    question: [
      `Write tests for the selected code from ${where(span)}:`,
      fence(numbered(span), span.language ?? ''),
      `${testStyle} Cover the normal cases, the edge cases and the error paths that matter; tests must ` +
        `assert real behaviour. ${EDITS} Put new tests where this repository keeps its tests.`,
    ].join('\n\n'),
    focus: { activeFile: span.absPath, selection: { startLine: span.startLine, endLine: span.endLine } },
  };
}

/** Tasks that change code, and so have an "and verify" form in act mode. */
export const VERIFIABLE: ReadonlySet<TaskKind> = new Set(['fixProblems', 'generateTests']);

/**
 * The "and verify" form of a task that changes code, for act mode: the model makes the changes with
 * its tools, then checks them (the tests it wrote or touched, or the file's problems) and iterates.
 */
export function andVerify(task: TaskPrompt): TaskPrompt {
  const check =
    task.kind === 'generateTests'
      ? 'run the new tests with run_command (the command this repository uses), and fix what fails'
      : 'check the file with get_problems (and run the relevant tests with run_command if there are any), ' +
        'and fix what is still wrong';
  return {
    ...task,
    title: `${task.title} and verify`,
    question: `${task.question.replace(EDITS, 'Make the changes with edit_files.')}

Then verify: ${check}. Iterate until it is right, or say what stops it.`,
  };
}

export function askFolder(folder: string, absFolder: string, question: string): TaskPrompt {
  return {
    kind: 'askFolder',
    title: `${folder}: ${question.slice(0, 40)}`,
    shown: { text: question, files: [`${folder}/`] },
    question: `About the folder \`${folder}/\` of the repository above: ${question}\n\n${CITE}`,
    focus: { pinned: [absFolder] },
  };
}

export function whereHandled(what: string, activeFile?: string): TaskPrompt {
  return {
    kind: 'whereHandled',
    title: `Where is ${what.slice(0, 40)} handled?`,
    shown: { text: `Where is this handled: ${what}` },
    question:
      `Where is this handled in the repository above: ${what}\n\nAnswer with the places in the order the flow ` +
      `reaches them, each as \`path:line\` and one sentence on its role (entry point, validation, main logic, ` +
      `side effects, tests). If it is not handled anywhere, say so and name the closest related code.`,
    focus: activeFile ? { activeFile } : {},
  };
}

const FRAMEWORKS: [RegExp, string][] = [
  [/"vitest"/, 'Vitest'],
  [/"jest"|"ts-jest"/, 'Jest'],
  [/"mocha"/, 'Mocha'],
  [/"ava"/, 'AVA'],
  [/"@playwright\/test"/, 'Playwright Test'],
  [/"jasmine"/, 'Jasmine'],
  [/"tap"|"node-tap"/, 'node-tap'],
];

/**
 * Describes how the repository writes tests, from its file list and manifest texts, so generated tests
 * match it: the framework, where test files live and an example to imitate. Empty facts are left out.
 */
export function describeTestStyle(paths: string[], manifests: Record<string, string>): string {
  const tests = paths.filter((p) =>
    /(^|\/)(tests?|__tests__|spec)\/|[._-](test|spec)\.[cm]?[jt]sx?$|(^|\/)test_[^/]+\.py$|_test\.(py|go)$|Tests?\.(java|cs|kt)$/.test(
      p,
    ),
  );
  const facts: string[] = [];
  const pkg = manifests['package.json'];
  const framework = pkg ? FRAMEWORKS.find(([re]) => re.test(pkg))?.[1] : undefined;
  if (framework) facts.push(`This repository tests with ${framework}.`);
  else if (manifests['pyproject.toml']?.includes('pytest') || tests.some((t) => /(^|\/)test_[^/]+\.py$/.test(t)))
    facts.push('This repository tests with pytest.');
  else if (tests.some((t) => t.endsWith('_test.go'))) facts.push("This repository uses Go's testing package.");
  else if (manifests['Cargo.toml']) facts.push('This is a Rust crate: use #[cfg(test)] modules or tests/.');
  if (tests.length) {
    const dirs = [...new Set(tests.map((t) => (t.includes('/') ? t.slice(0, t.lastIndexOf('/') + 1) : './')))].slice(
      0,
      3,
    );
    facts.push(
      `Existing tests live in ${dirs.map((d) => `\`${d}\``).join(', ')}; imitate \`${tests[0]}\` (imports, ` +
        `naming, assertion style).`,
    );
  } else facts.push('The repository has no tests yet: pick the conventional framework for its language and say which.');
  return facts.join(' ');
}
