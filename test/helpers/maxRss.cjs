// Preloaded with `node --require` into a process whose peak memory a benchmark measures: on exit, writes the
// process's peak resident set size (all its threads) to stderr as a last line `maxRSS <MB>`.
process.on('exit', () => process.stderr.write(`\nmaxRSS ${Math.round(process.resourceUsage().maxRSS / 1024)}\n`));
