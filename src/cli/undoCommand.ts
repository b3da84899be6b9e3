// `deepseek-repo undo --conversation FILE [--dir DIR]... [--turn N] [--force]`: puts back every file an `ask --agent
// --apply` turn wrote, to its exact bytes from before the turn, and removes the files it created (the history keeps
// each write's texts: src/chat/agent/undo.ts). A file changed since the turn wrote it is a conflict: nothing is
// written unless --force. The paths come from the conversation file, so each must stay inside the folders, as the
// agent's own were.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { bare, checkUndo, undoSteps, type UndoStep } from '../chat/agent/undo';
import { currentText, writeAtomic } from '../chat/agent/writeChanges';
import { workspaceKeyOf } from '../chat/contextSource';
import { turnsOf, type Turn } from '../chat/conversation';
import { FileConversationLog, loadConversation } from '../chat/history';
import { locate, toolLabel } from '../context/toolPaths';
import { isWithin, realpathOrUndefined } from '../context/scan/paths';
import type { WorkspaceRoot } from '../context/types';
import { CommandError, UsageError, checkConversationFile, fileProblem, roots } from './common';
import { EXIT } from './usage';

export function cmdUndo(argv: string[]): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      conversation: { type: 'string' },
      dir: { type: 'string', multiple: true },
      turn: { type: 'string' },
      force: { type: 'boolean' },
    },
  });
  if (positionals.length) throw new UsageError(`undo takes no arguments (got ${positionals[0]})`);
  if (!values.conversation) throw new UsageError('undo needs --conversation FILE');
  const file = values.conversation;
  if (!fs.existsSync(file)) throw new CommandError(`nothing to undo: ${file} does not exist`);
  checkConversationFile(file);
  let loaded: ReturnType<typeof loadConversation>;
  try {
    loaded = loadConversation(new FileConversationLog(file));
  } catch (e) {
    throw new CommandError(`${file} is not a deepseek-repo conversation (${(e as Error).message})`);
  }
  loaded.warnings.forEach((w) => process.stderr.write(`warning: ${w}\n`));
  const dirs = roots(values.dir ?? []);
  if (loaded.state.workspace !== workspaceKeyOf(dirs))
    throw new CommandError(
      `${file} was asked in other folders: run undo with the --dir folders (or from the folder) its ask used`,
    );
  const { turn, number } = chosenTurn(turnsOf(loaded.state), values.turn);
  const steps = undoSteps(turn);
  const absOf = checkedPaths(dirs, steps);
  // Every file is read before any is written: one that cannot be read (a folder now, no permission) stops it all.
  const texts = new Map<string, string | undefined>();
  for (const s of steps)
    try {
      texts.set(s.path, currentText(absOf.get(s.path)!));
    } catch (e) {
      throw new CommandError(`nothing was undone: ${fileProblem('read', s.path, e).message}`);
    }
  const now = (p: string) => texts.get(p);
  const todo = steps.filter((s) => bare(now(s.path)) !== bare(s.restore));
  const out = (line: string) => process.stdout.write(`${line}\n`);
  if (!todo.length) {
    out(`Nothing to undo: the files of question ${number} are as they were before it.`);
    return EXIT.ok;
  }
  const { changed } = checkUndo(todo, now);
  if (changed.length && !values.force) {
    process.stderr.write(
      `deepseek-repo undo: ${changed.map((s) => s.path).join(', ')} changed since the agent wrote ` +
        `${changed.length === 1 ? 'it' : 'them'}; nothing was undone (--force puts back the text from before ` +
        `question ${number}, and your later changes to ${changed.length === 1 ? 'it' : 'them'} are lost)\n`,
    );
    return EXIT.failed;
  }
  for (const s of todo) {
    const abs = absOf.get(s.path)!;
    try {
      if (s.restore === undefined) fs.rmSync(abs, { force: true });
      else writeAtomic(abs, s.restore);
    } catch (e) {
      // The files before it are back already (printed); running undo again finishes the rest.
      throw fileProblem('write', s.path, e);
    }
    out(`${s.restore === undefined ? 'removed' : 'restored'} ${s.path}`);
  }
  return EXIT.ok;
}

/** The turn `--turn N` names (the Nth question, from 1), else the last one whose edits were written. */
function chosenTurn(turns: Turn[], turn: string | undefined): { turn: Turn; number: number } {
  const checked = (i: number) => {
    if (!wellFormed(turns[i]!))
      throw new CommandError(
        `nothing was undone: the record of the files question ${i + 1} wrote is damaged (was the file edited?)`,
      );
    return { turn: turns[i]!, number: i + 1 };
  };
  if (turn === undefined) {
    const i = turns.findLastIndex((t) => !wellFormed(t) || undoSteps(t).length > 0);
    if (i < 0) throw new CommandError('nothing to undo: no agent turn of this conversation wrote a file');
    return checked(i);
  }
  const n = Number(turn);
  if (!Number.isInteger(n) || n < 1 || n > turns.length)
    throw new UsageError(`--turn takes a question number from 1 to ${turns.length} (got ${turn})`);
  const chosen = checked(n - 1);
  if (!undoSteps(chosen.turn).length) throw new CommandError(`nothing to undo: question ${n} wrote no file`);
  return chosen;
}

/** Whether each of the turn's file snapshots has the shape a write gives it: the conversation file is input. */
function wellFormed(turn: Turn): boolean {
  return (turn.steps ?? []).every((step) =>
    step.results.every((r) => {
      const snaps: unknown = r.snapshots;
      return snaps === undefined || (Array.isArray(snaps) && snaps.every(isSnapshot));
    }),
  );
}

/** `{path, before?, after}` of strings, as editTool.ts writes it. */
function isSnapshot(s: unknown): boolean {
  const o = s as Record<string, unknown> | null;
  return (
    typeof o === 'object' &&
    o !== null &&
    typeof o.path === 'string' &&
    typeof o.after === 'string' &&
    (o.before === undefined || typeof o.before === 'string')
  );
}

/**
 * The absolute path of each step's file; throws when a path would leave the folders (`..`, an absolute path, a
 * symlink out): the conversation file is input like any other.
 */
function checkedPaths(dirs: WorkspaceRoot[], steps: UndoStep[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of steps) {
    const l = toolLabel(dirs, s.path);
    const { root, abs } = l.ok && l.label === s.path ? locate(dirs, l.label) : { root: undefined, abs: '' };
    // The nearest part of the path that is there (a symlink too, even one to nothing: it must point inside).
    let existing = abs;
    while (root && !present(existing) && existing !== root.path) existing = path.dirname(existing);
    const real = root && realpathOrUndefined(existing);
    const realRoot = root && (realpathOrUndefined(root.path) ?? root.path);
    if (!root || !real || !realRoot || !isWithin(real, realRoot))
      throw new CommandError(`nothing was undone: ${JSON.stringify(s.path)} is not a path inside the folders`);
    out.set(s.path, abs);
  }
  return out;
}

/** Whether `p` is there: a file, a folder or a symlink (wherever it points). */
function present(p: string): boolean {
  try {
    fs.lstatSync(p);
    return true;
  } catch {
    return false;
  }
}
