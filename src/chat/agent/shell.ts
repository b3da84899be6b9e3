// Runs one shell command for `run_command`, in Node (the CLI, and the extension's child-process
// runner): in its own process group so a timeout or Stop kills everything it started, stdin closed
// so a command waiting for input ends instead of hanging, output kept as a bounded tail (a command
// that prints megabytes costs no memory), and the API key left out of its environment.
import { spawn } from 'node:child_process';
import type { CommandRun } from './ports';

export interface ShellOptions {
  cwd: string;
  /** Killed after this long (ms), with its process group. */
  timeoutMs: number;
  /** Bytes of output kept (the tail). */
  maxOutputBytes: number;
  signal?: AbortSignal;
  /** Environment (default: this process's, without DEEPSEEK_API_KEY). */
  env?: NodeJS.ProcessEnv;
  /** After SIGTERM, SIGKILL follows this long after (ms). Default 2,000. */
  killGraceMs?: number;
}

/** How long output may still arrive after the shell exited (ms). */
const PIPE_DRAIN_MS = 500;

/** Environment variables never passed to a command the model asked for. */
const HIDDEN_ENV = ['DEEPSEEK_API_KEY'];

/**
 * The process groups of commands still running. When this process exits, however that comes (a crash, or an exit
 * that does not wait for the 2 s before SIGKILL), they are killed with it: a command never outlives its runner.
 */
const running = new Set<number>();
const killRunning = () => {
  for (const pid of running)
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
};

/** Runs `command` through the platform shell; resolves when it exits (never rejects for the command's own failure). */
export function runShell(command: string, options: ShellOptions): Promise<CommandRun> {
  const env = { ...(options.env ?? process.env) };
  for (const k of HIDDEN_ENV) delete env[k];
  const windows = process.platform === 'win32';
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let kept = 0;
    let dropped = 0;
    const keep = (b: Buffer) => {
      chunks.push(b);
      kept += b.length;
      while (kept > options.maxOutputBytes && chunks.length) {
        const over = kept - options.maxOutputBytes;
        const first = chunks[0]!;
        if (first.length <= over) {
          chunks.shift();
          kept -= first.length;
          dropped += first.length;
        } else {
          chunks[0] = first.subarray(over);
          kept -= over;
          dropped += over;
        }
      }
    };
    let timedOut = false;
    let settled = false;
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(command, {
        cwd: options.cwd,
        env,
        shell: true,
        detached: !windows,
        stdio: ['ignore', 'pipe', 'pipe'],
        windowsHide: true,
      });
    } catch (e) {
      resolve({
        exitCode: null,
        timedOut: false,
        output: `could not start the shell: ${(e as Error).message}`,
        droppedBytes: 0,
      });
      return;
    }
    const group = windows ? undefined : child.pid;
    if (group !== undefined) {
      if (!running.size) process.once('exit', killRunning);
      running.add(group);
    }
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    let killTimer: NodeJS.Timeout | undefined;
    const killGroup = () => {
      if (child.pid === undefined || child.exitCode !== null) return;
      try {
        if (windows) spawn('taskkill', ['/pid', String(child.pid), '/T', '/F'], { windowsHide: true });
        else process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      killTimer ??= setTimeout(() => {
        try {
          if (!windows && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }, options.killGraceMs ?? 2_000);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, options.timeoutMs);
    const onAbort = () => killGroup();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) killGroup();
    const done = (exitCode: number | null, signal: NodeJS.Signals | null, error?: Error) => {
      if (settled) return;
      settled = true;
      if (group !== undefined) running.delete(group);
      if (!running.size) process.off('exit', killRunning);
      clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      options.signal?.removeEventListener('abort', onAbort);
      // The group may still hold children that ignored SIGTERM after the shell exited.
      if ((timedOut || options.signal?.aborted) && !windows && child.pid !== undefined)
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      const output = Buffer.concat(chunks).toString('utf8') + (error ? `\n${error.message}` : '');
      resolve({ exitCode, ...(signal ? { signal } : {}), timedOut, output, droppedBytes: dropped });
    };
    child.on('error', (e) => done(null, null, e));
    // 'close' comes once the pipes are drained; a background child that keeps them open would hold it
    // back forever, so after 'exit' it is waited for a moment only.
    child.on('close', (code, signal) => done(code, signal));
    child.on('exit', (code, signal) => {
      setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        done(code, signal);
      }, PIPE_DRAIN_MS).unref();
    });
  });
}
