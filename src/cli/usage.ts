// What `deepseek-repo --help` and `deepseek-repo <command> --help` print: each command's usage, the
// environment it reads and the exit codes, kept in one place so the help, the README and the code agree.
import { LIMITS_TEXT } from '../protocol/images';

/** The process's exit codes (documented in --help and the README). */
export const EXIT = {
  /** The command did what was asked (for ask: the answer is complete). */
  ok: 0,
  /**
   * The answer ended in an error, was interrupted (API error, network, a cut stream) or reached the output limit
   * (max_tokens); for undo: a file changed since the agent wrote it, so nothing was undone.
   */
  failed: 1,
  /** Nothing was done: bad arguments, a file or folder that cannot be used, nothing to continue, no API key. */
  usage: 2,
  /** An unexpected internal error (a bug: the message says how to report it). */
  internal: 70,
  /** Ctrl-C. */
  cancelled: 130,
  /** The reader closed stdout before the output was whole (`| head`). */
  closedPipe: 141,
} as const;

const EXIT_CODES = `exit codes:
  0    done (ask: the answer is complete)
  1    the answer ended in an error, was interrupted or reached the output limit (ask --continue finishes it)
  2    nothing was done: bad arguments, a file or folder that cannot be used, nothing to continue,
       no API key (ask prints what it would send)
  70   an internal error (a bug; please report it)
  130  cancelled (Ctrl-C)
  141  the reader closed the output early (e.g. | head)`;

const ENVIRONMENT = `environment:
  DEEPSEEK_API_KEY          the API key (not needed for a server on this machine)
  DEEPSEEK_BASE_URL         default https://api.deepseek.com
  DEEPSEEK_IDLE_TIMEOUT_MS  longest silence while an answer streams (ms, default 120000)
  DEEPSEEK_REPO_CACHE_DIR   what earlier runs learned of files (token counts, clean secret scans, outlines and
                            term statistics), cache-plan state, MCP conversations and the ask --agent --apply
                            turns kept for undo (default $XDG_CACHE_HOME/deepseek-repo or ~/.cache/deepseek-repo)`;

const WINDOW = `--window TOKENS: the model's context window, into which the repository, the output and the conversation
  are fitted; default DeepSeek V4's 1,048,576, or for ask what the endpoint's /models reports for the model.`;

/** Each command's own help (`deepseek-repo <command> --help`). */
export const COMMAND_USAGE = {
  pack: `usage: deepseek-repo pack [DIR...] [--json] [--out FILE] [--budget TOKENS] [--window TOKENS]
                         [--question TEXT] [--focus PATH]... [--include PATTERN]... [--exclude PATTERN]...
                         [--no-cache] [--cache-dir DIR]

Packs the folders (default: the current one) into the repository text DeepSeek is sent, and says
what went in. Prints a summary; --json prints the whole report (files with tokens, status and reason,
redactions); --out FILE writes the exact text.

  --budget TOKENS     tokens the repository may use (default: what a new question gets, 983,040)
  --question TEXT     rank files by this question when the repository does not fit
  --focus PATH        when the repository does not fit: this file whole, this folder's files first (repeatable)
  --include PATTERN   always send matching paths (.gitignore syntax; beats ignore files and default exclusions)
  --exclude PATTERN   never send matching paths
  --no-cache          do not read or write what earlier runs learned of files; --cache-dir DIR keeps it in DIR
${WINDOW}

${EXIT_CODES}`,
  ask: `usage: deepseek-repo ask "QUESTION" [--dir DIR]... [--model ID] [--json] [--conversation FILE]
                        [--budget TOKENS] [--window TOKENS] [--image FILE]... [--focus PATH]...
       deepseek-repo ask "QUESTION" --agent [--apply] [--allow-run[=PREFIX]]... [--max-steps N]
                        [--command-timeout SECONDS] [ask options]
       deepseek-repo ask --continue --conversation FILE [--json] [--agent ...]
                        (finish an interrupted answer or agent turn)

Asks DeepSeek about the whole repository (default: the current folder), with the cache plan.
The answer goes to stdout; thinking, context, usage and cost to stderr. --json prints NDJSON events
instead (see the README). --conversation FILE keeps the conversation in FILE and continues it.
Without an API key nothing is sent: it prints what it would send and exits 2.
--focus PATH: when the repository does not fit, this file goes in whole, this folder's files first (repeatable).

--image FILE: send an image with the question (repeatable).
  ${LIMITS_TEXT}
  A new conversation with images asks deepseek-flash unless --model says otherwise; a model that cannot
  read images sends nothing and exits 2, as does a file that is missing, not an image, or cut short.
--agent: the model may read and search files, edit them, run commands and check problems (up to
  --max-steps requests, default 25), in the first --dir. Edits are written only with --apply
  (otherwise printed as diffs); commands run only with --allow-run (any command) or --allow-run PREFIX
  (repeatable; write --allow-run= or put the question first when a bare --allow-run is followed by it).
  A command still running after --command-timeout seconds (default 120) is killed with everything it started.
  deepseek-repo undo --conversation FILE puts back what the turn wrote (see deepseek-repo undo --help); without
  --conversation, an --apply turn is kept in the cache directory for it, and the end of the answer names the file.
${WINDOW}

${ENVIRONMENT}

${EXIT_CODES}`,
  undo: `usage: deepseek-repo undo --conversation FILE [--dir DIR]... [--turn N] [--force]

Puts back every file an ask --agent --apply turn of the conversation in FILE wrote, to its exact bytes
from before the turn, and removes the files the turn created: the last turn that wrote files, or the
Nth question's with --turn N. --dir: the folders the ask used (default: the current folder). A file
changed since the agent wrote it stops the undo before anything is written, with exit code 1; --force
overwrites it too.
Prints each file restored or removed.

${EXIT_CODES}`,
  mcp: `usage: deepseek-repo mcp [--dir DIR]...

Serves the repository (default: the current folder) to MCP clients over stdio, until its input ends:
  pack_repository  the pack text, as pack --out   {budget?, window?, question?, include?, exclude?, focus?}
  list_context     what pack --json reports        (the same arguments)
  ask_repository   DeepSeek's answer, its cost and cache hits   {question, model?, conversation?}
Protocol messages only on stdout; logs on stderr. ask_repository reads DEEPSEEK_API_KEY and
DEEPSEEK_BASE_URL, and keeps its conversations in the cache directory.

${ENVIRONMENT}

${EXIT_CODES}`,
} as const;

export type CommandName = keyof typeof COMMAND_USAGE;

/** `deepseek-repo --help`. */
export const USAGE = `usage:
  deepseek-repo pack [DIR...] [--json] [--out FILE] [--budget TOKENS] [--window TOKENS] [--question TEXT]
                    [--focus PATH]... [--include PATTERN]... [--exclude PATTERN]... [--no-cache] [--cache-dir DIR]
  deepseek-repo ask "QUESTION" [--dir DIR]... [--model ID] [--json] [--conversation FILE] [--budget TOKENS]
                    [--window TOKENS] [--image FILE]... [--focus PATH]...
  deepseek-repo ask "QUESTION" --agent [--apply] [--allow-run[=PREFIX]]... [--max-steps N] [--command-timeout SECONDS]
                    [ask options]
  deepseek-repo ask --continue --conversation FILE [--json] [--agent ...]   (finish an interrupted answer or turn)
  deepseek-repo undo --conversation FILE [--dir DIR]... [--turn N] [--force]   (put back what an agent turn wrote)
  deepseek-repo mcp [--dir DIR]...   (an MCP server over stdio: the repository for other agents)
  deepseek-repo --version | --help
  deepseek-repo COMMAND --help       (that command's options)

patterns use .gitignore syntax; --include beats ignore files and default exclusions.
--focus PATH: when the repository does not fit, this file goes in whole, this folder's files first.
${WINDOW}

${ENVIRONMENT}

${EXIT_CODES}`;
