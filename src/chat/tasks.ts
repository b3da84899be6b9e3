// The everyday editor tasks (explain, review, fix, tests, commit message, …) as prompts.
// Each task becomes the LAST user message of a one-shot conversation: the repository block stays the
// byte-identical prefix shared with every other command and the chat (so it hits DeepSeek's cache),
// and only this task-specific text differs. Pure functions: the VS Code side gathers the inputs.
// This file holds the tasks about code and is the one the front ends import: the git tasks
// (gitTasks.ts), the test style (testStyle.ts) and the prompt's parts (taskPrompt.ts) are re-exported.
import {
  CITE,
  EDITS,
  FINDINGS,
  fence,
  numbered,
  where,
  type CodeSpan,
  type Problem,
  type TaskKind,
  type TaskPrompt,
} from './taskPrompt';

export {
  DEFAULT_TASK_MODELS,
  fence,
  type CodeSpan,
  type ModelRole,
  type Problem,
  type TaskKind,
  type TaskPrompt,
} from './taskPrompt';
export {
  MAX_DIFF_CHARS,
  commitMessage,
  commitMessageFrom,
  compactDiff,
  diffFiles,
  hasChanges,
  reviewBranch,
  reviewChanges,
  type BranchChanges,
  type RepoChanges,
} from './gitTasks';
export { describeTestStyle } from './testStyle';

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
