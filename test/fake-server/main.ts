// The fake DeepSeek server as a process, for end-to-end tests in a real VS Code and for trying the
// CLI by hand:  tsx test/fake-server/main.ts [--port N] [--host H] [--scenario NAME] [--api-key KEY]
// Prints its base URL as the first line of stdout, then serves until SIGINT/SIGTERM. The scenario
// comes from --scenario, else FAKE_DEEPSEEK_SCENARIO, else "ok"; a request can override it with
// `[[scenario:NAME]]` in its question (names: scenarios.ts).
import { parseArgs } from 'node:util';
import { SCENARIOS, pickScenario } from './scenarios';
import { startFakeDeepSeek } from './server';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      scenario: { type: 'string' },
      'api-key': { type: 'string', multiple: true },
    },
  });
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port must be 0..65535, got ${values.port}`);
  const fallback = values.scenario ?? process.env.FAKE_DEEPSEEK_SCENARIO ?? 'ok';
  if (!SCENARIOS[fallback])
    throw new Error(`unknown scenario "${fallback}"; known: ${Object.keys(SCENARIOS).join(', ')}`);
  const server = await startFakeDeepSeek({
    port,
    scenario: pickScenario(fallback),
    ...(values.host ? { host: values.host } : {}),
    ...(values['api-key'] ? { apiKeys: values['api-key'] } : {}),
  });
  process.stdout.write(`${server.url}\n`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`fake-deepseek: ${(e as Error).message}\n`);
  process.exit(2);
});
