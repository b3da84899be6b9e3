// How the CLI process ends without losing output. Writes to a pipe are queued in the process while the
// reader is slower than the writer; `process.exit` drops that queue (a `pack --json | jq` got 64 KiB of
// a 237 KB document). So the exit code is set, stdout and stderr are flushed, and only then does the
// process end, explicitly, so that a worker thread still stopping or a timer left behind cannot keep
// it alive either. A reader that closes its end early (`| head`) ends the process quietly, with the
// shell's code for a closed pipe, instead of an EPIPE stack trace.

/** The exit code when the reader of stdout or stderr closed it before the output was whole (128 + SIGPIPE). */
export const EXIT_CLOSED_PIPE = 141;

/** Resolves once everything written to `stream` so far has been handed to the operating system. */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  if (stream.destroyed || !stream.writable) return Promise.resolve();
  // Writes complete in order: the callback of an empty write runs after every earlier one is done.
  return new Promise((resolve) => stream.write('', () => resolve()));
}

/** Ends the process with `code` once stdout and stderr are flushed, however slowly they are read. */
export async function exitWhenFlushed(code: number): Promise<never> {
  process.exitCode = code;
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit();
}

/** A reader closing stdout or stderr early (EPIPE) ends the process at once with EXIT_CLOSED_PIPE, silently. */
export function exitQuietlyOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr])
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED') process.exit(EXIT_CLOSED_PIPE);
      throw e;
    });
}
