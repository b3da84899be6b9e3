// Where the browser tests find Chromium: the one `npm test` installed or found (test/e2e/setup.sh
// --system, which exports E2E_CHROMIUM), else Debian's or Ubuntu's usual path. CHROMIUM_PATH is the
// older name of the same variable.
import * as fs from 'node:fs';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** The Chromium binary to drive; throws a one-line error saying how to get one when there is none. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  const named = env.E2E_CHROMIUM || env.CHROMIUM_PATH;
  if (named) {
    if (!fs.existsSync(named)) throw new Error(`Chromium not found at ${named} (E2E_CHROMIUM)`);
    return named;
  }
  const found = CANDIDATES.find((c) => fs.existsSync(c));
  if (!found)
    throw new Error(
      `Chromium not found at ${CANDIDATES.join(' or ')}: run \`bash test/e2e/setup.sh --system\` as root ` +
        "(installs Debian's chromium with apt) or set E2E_CHROMIUM to a Chromium binary",
    );
  return found;
}
