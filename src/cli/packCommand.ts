// `deepseek-repo pack [DIR...] [--json] [--out FILE] [--budget TOKENS]`
import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import { packWorkspace } from '../context/pack';
import { budgetArg, packJson, roots } from './common';

export async function cmdPack(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { json: { type: 'boolean' }, out: { type: 'string' }, budget: { type: 'string' } } });
  const pack = packWorkspace(roots(positionals), { budgetTokens: budgetArg(values.budget) });
  if (values.out) fs.writeFileSync(values.out, pack.text);
  if (values.json) process.stdout.write(JSON.stringify(packJson(pack)) + '\n');
  else {
    const n = (s: string) => pack.files.filter((f) => f.status === s).length;
    process.stdout.write(`${n('included')} files included, ${n('outline')} outlined, ${n('excluded')} excluded; ${pack.tokens} tokens${values.out ? ` -> ${values.out}` : ''}\n`);
  }
  return 0;
}
