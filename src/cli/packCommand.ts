// `deepseek-repo pack [DIR...] [--json] [--out FILE] [--budget TOKENS] [--window TOKENS] [--question TEXT]
//   [--focus PATH]... [--include PATTERN]... [--exclude PATTERN]... [--no-cache] [--cache-dir DIR]``
import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import { packWorkspace } from '../context/pack';
import { packParts } from '../context/place/assemble';
import { budgetArg, cliCacheDir, fileProblem, focusPaths, packJson, roots } from './common';

export async function cmdPack(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean' },
      out: { type: 'string' },
      budget: { type: 'string' },
      window: { type: 'string' },
      question: { type: 'string' },
      focus: { type: 'string', multiple: true },
      include: { type: 'string', multiple: true },
      exclude: { type: 'string', multiple: true },
      'no-cache': { type: 'boolean' },
      'cache-dir': { type: 'string' },
    },
  });
  const cacheDir = values['no-cache'] ? undefined : (values['cache-dir'] ?? cliCacheDir());
  const dirs = roots(positionals);
  const pinned = focusPaths(values.focus ?? [], dirs);
  const pack = await packWorkspace(
    dirs,
    {
      budgetTokens: budgetArg(values.budget, values.window),
      ...(values.question ? { question: values.question } : {}),
      ...(pinned.length ? { focus: { pinned } } : {}),
    },
    { cacheDir, settings: { include: values.include ?? [], exclude: values.exclude ?? [] } },
  );
  if (values.out)
    try {
      writeParts(values.out, packParts(pack));
    } catch (e) {
      throw fileProblem('write', values.out, e);
    }
  if (values.json) process.stdout.write(JSON.stringify(packJson(pack)) + '\n');
  else {
    const n = (s: string) => pack.files.filter((f) => f.status === s).length;
    process.stdout.write(
      `${n('included')} files included, ${n('outline')} outlined, ${n('excluded')} excluded; ${pack.tokens} ` +
        `tokens${values.out ? ` -> ${values.out}` : ''}\n`,
    );
    for (const w of pack.warnings) process.stderr.write(`warning: ${w}\n`);
  }
  return 0;
}

/**
 * Writes the pack's text from its parts (header, file blocks, footer), never joined into one string: joining megabytes
 * costs a copy, and a single non-Latin-1 character makes the whole copy two bytes a character. Each part is encoded
 * straight into one buffer of the text's UTF-8 length, written at once.
 */
function writeParts(file: string, parts: readonly string[]): void {
  let size = 0;
  for (const part of parts) size += Buffer.byteLength(part);
  const bytes = Buffer.allocUnsafe(size);
  let at = 0;
  for (const part of parts) at += bytes.write(part, at);
  fs.writeFileSync(file, bytes);
}
