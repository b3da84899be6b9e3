// Run as a separate process by the hazards test: packs DIR as a user that cannot read what DIR's
// owner locked (mode 000), and prints one JSON line: `{ reasons, status }` from that pack, or
// `{ notRunHere }` saying why this machine cannot make such a user.
//   node --require tsx/cjs test/helpers/unprivilegedPackChild.ts DIR LOCKED_FILE BUDGET_TOKENS
// Root reads everything, so as root the child gives up its privileges (to uid/gid 65534, "nobody")
// in-process, after a first pack as root has loaded every module the pack needs: the unprivileged
// part never opens the node binary, tsx or the sources again, so it works wherever the checkout lives
// (a checkout under a private folder, such as one made by `mktemp -d`, is out of that user's reach).
// Any other user cannot read a mode-000 file already and packs as itself.
import * as fs from 'node:fs';
import { ContextEngine } from '../../src/context/engine';

const NOBODY = 65534;

async function pack(dir: string, budget: number) {
  const engine = new ContextEngine({ roots: [{ name: 'root', path: dir }], workers: 0 });
  try {
    return await engine.pack({ budgetTokens: budget });
  } finally {
    engine.dispose();
  }
}

/** Why this process can read `locked` or cannot enter `dir` (so the test would prove nothing), or undefined. */
function whyNotRunnable(dir: string, locked: string): string | undefined {
  try {
    fs.closeSync(fs.openSync(locked, 'r'));
    return `uid ${process.getuid!()} reads a file of mode 000 (it has a capability such as CAP_DAC_OVERRIDE)`;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EACCES') throw e;
  }
  try {
    fs.accessSync(dir, fs.constants.R_OK | fs.constants.X_OK);
  } catch {
    return `uid ${process.getuid!()} cannot enter ${dir} (is TMPDIR a private folder?)`;
  }
  return undefined;
}

async function main(): Promise<object> {
  const [dir, locked, budget] = process.argv.slice(2) as [string, string, string];
  if (process.getuid!() === 0) {
    await pack(dir, Number(budget)); // as root: loads the engine's modules, the tokenizer and its data
    try {
      process.setgroups!([]);
      process.setgid!(NOBODY);
      process.setuid!(NOBODY);
    } catch (e) {
      return { notRunHere: `root cannot switch to uid ${NOBODY} here (${(e as Error).message})` };
    }
  }
  const why = whyNotRunnable(dir, locked);
  if (why) return { notRunHere: why };
  const p = await pack(dir, Number(budget));
  const status: Record<string, number> = {};
  for (const f of p.files) status[f.status] = (status[f.status] ?? 0) + 1;
  const reasons = Object.fromEntries(p.files.filter((f) => f.status === 'excluded').map((f) => [f.path, f.reason]));
  return { uid: process.getuid!(), reasons, status };
}

main().then(
  (out) => process.stdout.write(JSON.stringify(out) + '\n'),
  (e: unknown) => {
    process.stderr.write(String((e as Error)?.stack ?? e));
    process.exit(1);
  },
);
