// `deepseek-repo`: the command-line front end over the same core as the extension. Commands, options
// and exit codes: src/cli/usage.ts (`deepseek-repo --help`, `deepseek-repo COMMAND --help`).
// Every expected failure is one line on stderr with its exit code; only a bug shows a stack trace.
// The process ends once its output is flushed, however slowly it is read (src/cli/processExit.ts).
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { UsageError, describeFailure } from './cli/common';
import { exitOnCrash, exitQuietlyOnClosedPipe, exitWhenFlushed } from './cli/processExit';
import { COMMAND_USAGE, EXIT, USAGE, type CommandName } from './cli/usage';

/** The package's version, put in by the build (scripts/build.mjs); absent when run from source. */
declare const DSR_VERSION: string | undefined;
const VERSION = typeof DSR_VERSION === 'string' ? DSR_VERSION : 'development build';

const isCommand = (c: string | undefined): c is CommandName => c !== undefined && Object.hasOwn(COMMAND_USAGE, c);
/** `--help` or `-h` among a command's options (before a `--` that ends them). */
const asksForHelp = (args: string[]) => {
  const end = args.indexOf('--');
  return (end < 0 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h');
};

/**
 * The `mcp` command, from its own bundle (dist/mcp.js): the MCP SDK and zod would more than double
 * cli.js and cost every `pack` and `ask` about 60 ms of start-up. From source: src/mcp/command.ts.
 */
function mcpCommand(): typeof import('./mcp/command') {
  const bundled = path.join(__dirname, 'mcp.js');
  // A path built at run time: the bundler leaves this load alone.
  return createRequire(__filename)(
    fs.existsSync(bundled) ? bundled : path.join(__dirname, 'mcp', 'command'),
  ) as typeof import('./mcp/command');
}

/** Runs one command line; resolves with the exit code (throws only on a bug). */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (isCommand(command) && asksForHelp(rest)) {
      process.stdout.write(COMMAND_USAGE[command] + '\n');
      return EXIT.ok;
    }
    // Loaded on demand: `pack` then never evaluates the HTTP client stack (a third of the start-up time).
    if (command === 'pack') return await (await import('./cli/packCommand')).cmdPack(rest);
    if (command === 'ask') return await (await import('./cli/askCommand')).cmdAsk(rest);
    if (command === 'undo') return (await import('./cli/undoCommand')).cmdUndo(rest);
    if (command === 'mcp') return await mcpCommand().cmdMcp(rest, VERSION);
    if (command === '--help' || command === '-h' || command === 'help') {
      process.stdout.write(USAGE + '\n');
      return EXIT.ok;
    }
    if (command === '--version' || command === '-V' || command === 'version') {
      process.stdout.write(`deepseek-repo ${VERSION}\n`);
      return EXIT.ok;
    }
    throw new UsageError(command ? `unknown command: ${command}` : 'no command');
  } catch (e) {
    const failure = describeFailure(e);
    if (failure === undefined) throw e;
    const help = isCommand(command) ? `deepseek-repo ${command} --help` : 'deepseek-repo --help';
    process.stderr.write(
      `deepseek-repo${isCommand(command) ? ` ${command}` : ''}: ` +
        `${failure.message}${failure.usage ? ` (see ${help})` : ''}\n`,
    );
    return EXIT.usage;
  }
}

/** What a bug prints: the stack, and how to report it. */
function crashReport(e: unknown): string {
  return (
    `deepseek-repo: internal error: ${(e as Error)?.stack ?? String(e)}\n` +
    `This is a bug in deepseek-repo ${VERSION}. Please report it with the lines above (check them for ` +
    `anything private first):\n` +
    `https://github.com/deepseek-repo/deepseek-repo/issues\n`
  );
}

/** Runs this process's command line and ends the process once its output is flushed (src/cliStart.ts calls it). */
export function runCli(): void {
  exitQuietlyOnClosedPipe();
  exitOnCrash(crashReport, EXIT.internal);
  main(process.argv.slice(2)).then(exitWhenFlushed, (e: unknown) => {
    process.stderr.write(crashReport(e));
    return exitWhenFlushed(EXIT.internal);
  });
}

if (require.main === module) runCli();
