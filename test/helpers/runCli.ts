// Runs the built CLI as a real process, the way a shell or another program does, and collects what it
// printed; `ask --json` output is read as NDJSON events and held to the schema (cliEvents.ts).
import { spawn } from 'node:child_process';
import { cliEvents, type CliEventLine } from './cliEvents';
import { CLI } from './paths';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The NDJSON events of an `ask … --json` run, each checked against the schema; none for other runs. */
  events: CliEventLine[];
}

/**
 * Runs `deepseek-repo ARGS` to its end. `env` is laid over this process's environment (a variable set to
 * `undefined` is removed); `cwd` defaults to this process's.
 */
export function runCli(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      ...(options.cwd ? { cwd: options.cwd } : {}),
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    const ndjson = args[0] === 'ask' && args.includes('--json'); // plain output is prose
    child.on('close', (code) => resolve({ code, stdout, stderr, events: ndjson ? cliEvents(stdout) : [] }));
  });
}
