// How the CLI process ends without losing output. Writes to a pipe are queued in the process while the
// reader is slower than the writer; `process.exit` drops that queue (a `pack --json | jq` got 64 KiB of
// a 237 KB document). So the exit code is set, stdout and stderr are flushed, and only then does the
// process end, explicitly, so that a worker thread still stopping or a timer left behind cannot keep
// it alive either. A reader that closes its end early (`| head`) ends the process quietly, with the
// shell's code for a closed pipe, instead of an EPIPE stack trace; while a command has work to stop first
// (an agent's shell command, which runs in its own process group and would outlive the CLI), the early
// close stops it and the process ends once it has. An error nothing caught stops it too, then ends the process as a
// bug (exit 70).

/** The exit code when the reader of stdout or stderr closed it before the output was whole (128 + SIGPIPE). */
export const EXIT_CLOSED_PIPE = 141;

/** Resolves once everything written to `stream` so far has been handed to the operating system. */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  if (stream.destroyed || !stream.writable) return Promise.resolve();
  // Writes complete in order: the callback of an empty write runs after every earlier one is done.
  return new Promise((resolve) => stream.write('', () => resolve()));
}

/** Set once stdout or stderr was closed by its reader. */
let pipeClosed = false;
/** What a closed pipe or a crash stops before the process ends (see stopBeforeExit). */
let stopping: (() => void) | undefined;

/**
 * What to stop before the process ends early, until the returned function is called: a reader closing stdout or
 * stderr early calls `stop` (once) instead of ending the process at once (the command then ends as it does when
 * stopped, and the process with EXIT_CLOSED_PIPE), and a crash (exitOnCrash) calls it before the process ends.
 */
export function stopBeforeExit(stop: () => void): () => void {
  stopping = stop;
  if (pipeClosed) stop();
  return () => {
    if (stopping === stop) stopping = undefined;
  };
}

/**
 * Ends the process with `code` once stdout and stderr are flushed, however slowly they are read; with
 * EXIT_CLOSED_PIPE instead when the reader of either closed it early.
 */
export async function exitWhenFlushed(code: number): Promise<never> {
  process.exitCode = pipeClosed ? EXIT_CLOSED_PIPE : code;
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit();
}

/**
 * A reader closing stdout or stderr early (EPIPE) ends the process at once with EXIT_CLOSED_PIPE, silently, or
 * first stops what stopBeforeExit was given.
 */
export function exitQuietlyOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr])
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE' && e.code !== 'ERR_STREAM_DESTROYED') throw e;
      const first = !pipeClosed;
      pipeClosed = true;
      if (!stopping) process.exit(EXIT_CLOSED_PIPE);
      if (first) stopping();
    });
}

/**
 * An error nothing caught (thrown in an event handler, or a promise nobody awaits) ends the process as a bug would:
 * what stopBeforeExit was given is stopped first (an agent's command, which would outlive the CLI), `report` of the
 * error goes to stderr, and the process ends with `code` once its output is flushed. Another such error meanwhile
 * (stderr itself failing) ends it at once.
 */
export function exitOnCrash(report: (e: unknown) => string, code: number): void {
  let crashed = false;
  const crash = (e: unknown) => {
    if (crashed) process.exit(code);
    crashed = true;
    stopping?.();
    process.stderr.write(report(e));
    void exitWhenFlushed(code);
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
}
