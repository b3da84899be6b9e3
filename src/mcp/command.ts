// `deepseek-repo mcp [--dir DIR]...`: serves the repository to MCP clients over stdio (server.ts). Checks
// the command line and the environment before serving, so a mistake is one line on stderr and exit 2
// instead of a server that fails on its first call. Logs (warnings and worse) go to stderr, redacted.
import { parseArgs } from 'node:util';
import { redactingLogger, type Logger } from '../shared/log';
import { timeoutsFromEnv } from '../cli/clientEnv';
import { cliCacheDir, roots } from '../cli/common';
import { endpointFromEnv } from '../cli/sessionPorts';

export async function cmdMcp(argv: string[], version: string): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { dir: { type: 'string', multiple: true } } });
  const dirs = roots(values.dir ?? []);
  const timeouts = timeoutsFromEnv(process.env);
  const endpoint = endpointFromEnv(process.env);
  const say = (level: string) => (m: string) => process.stderr.write(`deepseek-repo mcp: ${level}${m}\n`);
  const stderr: Logger = { debug: () => {}, info: say(''), warn: say('warning: '), error: say('error: ') };
  const log = redactingLogger(stderr, () => [endpoint.apiKey]);
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const { serveMcp } = await import('./server');
    await serveMcp({ roots: dirs, cacheDir: cliCacheDir(), endpoint, timeouts, version, log, signal: stop.signal });
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
