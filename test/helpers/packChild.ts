// Run as a separate process (tests of memory, permissions and scale): packs DIR and prints one JSON
// line with counts per status/reason, tokens, elapsed time and this process's peak RSS.
//   node --require tsx/cjs test/helpers/packChild.ts DIR BUDGET_TOKENS [WORKERS]
import { ContextEngine } from '../../src/context/engine';

async function main() {
  const [dir, budget, workers] = process.argv.slice(2);
  const engine = new ContextEngine({
    roots: [{ name: 'root', path: dir! }],
    workers: workers === undefined ? 0 : Number(workers),
  });
  const t0 = performance.now();
  const pack = await engine.pack({ budgetTokens: Number(budget) });
  const elapsedMs = Math.round(performance.now() - t0);
  engine.dispose();
  const count = (key: (f: (typeof pack.files)[number]) => string | undefined) => {
    const out: Record<string, number> = {};
    for (const f of pack.files) {
      const k = key(f);
      if (k) out[k] = (out[k] ?? 0) + 1;
    }
    return out;
  };
  const reasons = Object.fromEntries(pack.files.filter((f) => f.status === 'excluded').map((f) => [f.path, f.reason]));
  process.stdout.write(
    JSON.stringify({
      status: count((f) => f.status),
      reason: count((f) => f.reason),
      reasons: pack.files.length <= 100 ? reasons : undefined,
      tokens: pack.tokens,
      textBytes: Buffer.byteLength(pack.text),
      elapsedMs,
      maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    }) + '\n',
  );
}
main().catch((e) => {
  process.stderr.write(String((e as Error | undefined)?.stack ?? e));
  process.exit(1);
});
