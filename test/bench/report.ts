// Writes one benchmark's results into its own section of BENCHMARKS.md, leaving the others alone.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const FILE = path.resolve(__dirname, '../../BENCHMARKS.md');

/** A line describing the machine, so numbers from different runs can be compared honestly. */
export function machineLine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return (
    `${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ` +
    `${os.platform()} ${os.release()}`
  );
}

/** Replaces (or appends) the section `name` of BENCHMARKS.md with `markdown`. */
export function writeSection(name: string, markdown: string): void {
  const begin = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  const block = `${begin}\n${markdown.trim()}\n${end}`;
  let text = fs.existsSync(FILE)
    ? fs.readFileSync(FILE, 'utf8')
    : '# Benchmarks\n\nEach section is rewritten by its `npm run bench:*` script.\n';
  const i = text.indexOf(begin);
  const j = text.indexOf(end);
  text = i >= 0 && j > i ? text.slice(0, i) + block + text.slice(j + end.length) : `${text.trimEnd()}\n\n${block}\n`;
  fs.writeFileSync(FILE, text);
}
