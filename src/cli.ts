// `deepseek-repo`: the command-line front end over the same core as the extension.
//   deepseek-repo pack [DIR...] [--json] [--out FILE] [--budget TOKENS] [--window TOKENS] [--include P]... [--exclude P]... [--no-cache] [--cache-dir DIR]
//   deepseek-repo ask "QUESTION" [--dir DIR] [--model ID] [--json] [--conversation FILE] [--budget TOKENS] [--window TOKENS]
//   deepseek-repo ask --continue --conversation FILE [--json]
//   deepseek-repo --version | --help
// Exit codes: 0 complete; 1 error or interrupted; 2 usage / no API key (offline dry run); 130 cancelled.
import { UsageError } from './cli/common';

/** The package's version, put in by the build (scripts/build.mjs); absent when run from source. */
declare const DSR_VERSION: string | undefined;
const VERSION = typeof DSR_VERSION === 'string' ? DSR_VERSION : 'development build';

const USAGE = `usage:
  deepseek-repo pack [DIR...] [--json] [--out FILE] [--budget TOKENS] [--window TOKENS]
                    [--include PATTERN]... [--exclude PATTERN]... [--no-cache] [--cache-dir DIR]
  deepseek-repo ask "QUESTION" [--dir DIR] [--model ID] [--json] [--conversation FILE] [--budget TOKENS]
                    [--window TOKENS]
  deepseek-repo ask --continue --conversation FILE [--json]   (finish an interrupted answer)
  deepseek-repo --version | --help

patterns use .gitignore syntax; --include beats ignore files and default exclusions.
--window: the model's context window (tokens), into which the repository, the output and the conversation
  are fitted; default DeepSeek V4's 1,048,576, or for ask what the endpoint's /models reports for the model.
environment: DEEPSEEK_API_KEY (not needed for a server on this machine), DEEPSEEK_BASE_URL (default https://api.deepseek.com),
  DEEPSEEK_IDLE_TIMEOUT_MS (longest silence while an answer streams),
  DEEPSEEK_REPO_CACHE_DIR (token counts and cache-plan state; default $XDG_CACHE_HOME/deepseek-repo or ~/.cache/deepseek-repo)`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    // Loaded on demand: `pack` then never evaluates the HTTP client stack (a third of the start-up time).
    if (command === 'pack') return await (await import('./cli/packCommand')).cmdPack(rest);
    if (command === 'ask') return await (await import('./cli/askCommand')).cmdAsk(rest);
    if (command === '--help' || command === '-h' || command === 'help') {
      process.stdout.write(USAGE + '\n');
      return 0;
    }
    if (command === '--version' || command === '-V' || command === 'version') {
      process.stdout.write(`deepseek-repo ${VERSION}\n`);
      return 0;
    }
    throw new UsageError(command ? `unknown command: ${command}` : 'no command');
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`deepseek-repo: ${(e as Error).message}\n${USAGE}\n`);
      return 2;
    }
    throw e;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      process.stderr.write(`deepseek-repo: ${(e as Error).stack ?? e}\n`);
      process.exit(1);
    },
  );
}
