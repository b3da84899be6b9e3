// The editor tasks over git changes: review the uncommitted changes, review a branch as a pull
// request, write a commit message. Kept apart from the code tasks because they share the diff
// handling (lockfiles summarised, huge diffs capped, the touched files listed).
import { FINDINGS, fence, fileCount, type TaskPrompt } from './taskPrompt';

/** Uncommitted changes of one git repository. */
export interface RepoChanges {
  /** Repository label (its folder relative to the workspace, or its name). */
  name: string;
  staged: string;
  unstaged: string;
  /** Untracked (not ignored) files, relative to the repository root. */
  untracked: string[];
}

/** Largest diff (characters) put into one prompt; beyond it files are summarised, and the prompt says so. */
export const MAX_DIFF_CHARS = 400_000;

const LOCKFILE =
  /(^|\/)(package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|bun\.lockb?|Cargo\.lock|poetry\.lock|Pipfile\.lock|composer\.lock|Gemfile\.lock|go\.sum|flake\.lock)$/;

/** The files a git diff touches (their new paths, in order, once each). */
export function diffFiles(diff: string): string[] {
  const paths = Array.from(diff.matchAll(/^diff --git a\/(\S+) b\/(\S+)$/gm), (m) => m[2]!);
  return [...new Set(paths)];
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
    shown: { text: `Review uncommitted changes · ${fileCount(touched.length)}`, files: touched },
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
      text: `Review ${b.branch} against ${b.base} · ${fileCount(diffFiles(b.patch).length)}`,
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
      text: `Write a commit message · ${fileCount(new Set(staged.flatMap((c) => diffFiles(c.staged))).size)} staged`,
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
