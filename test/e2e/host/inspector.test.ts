// "Show Context" in the real extension host: the Context view shows what the CLI's `pack --json`
// reports for the same folder (the same engine, so the same files, statuses, reasons, tokens and
// total), and its Exclude / Include actions persist where the user chose (the workspace settings by
// default, .deepseekignore to share) and change the next pack.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { repositoryBudget } from '../../../src/chat/requestPlan';
import type { InspectorNode } from '../../../src/ui/inspectorModel';
import { EVENT_MS } from '../shared/patience';
import { sleep, testingApi } from './harness';

/** The CLI built next to the bundled suites (out/e2e/ → dist/cli.js). */
const CLI = path.resolve(__dirname, '../../dist/cli.js');

interface CliPack {
  tokens: number;
  files: { path: string; tokens: number; status: string; reason?: string }[];
}

/** Every node that reports a file (or a left-out folder), depth first. */
function reports(nodes: readonly InspectorNode[]): InspectorNode[] {
  return nodes.flatMap((n) => [...(n.status ? [n] : []), ...reports(n.children ?? [])]);
}

/** What a report says, in the CLI's terms: path, status, reason, and tokens where the view shows them. */
function fromView(n: InspectorNode): string {
  const tokens =
    n.status === 'excluded' ? '' : ` ${/([\d,]+) tokens/.exec(n.description ?? '')?.[1]?.replace(/,/g, '')}`;
  return `${n.rel} ${n.status}${n.reason ? ` (${n.reason})` : ''}${tokens}`;
}
function fromCli(f: CliPack['files'][number]): string {
  return `${f.path} ${f.status}${f.reason ? ` (${f.reason})` : ''}${f.status === 'excluded' ? '' : ` ${f.tokens}`}`;
}

describe('Show Context (the inspector)', function () {
  const folder = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
  const ignoreFile = path.join(folder, '.deepseekignore');
  let original: string | undefined;

  before(() => {
    original = fs.existsSync(ignoreFile) ? fs.readFileSync(ignoreFile, 'utf8') : undefined;
  });
  after(() => {
    if (original === undefined) fs.rmSync(ignoreFile, { force: true });
    else fs.writeFileSync(ignoreFile, original);
  });

  /** Refreshes the view until its file reports pass `test` (the file watcher may report an edit late). */
  async function shown(
    what: string,
    test: (lines: string[]) => boolean,
  ): Promise<{ lines: string[]; nodes: InspectorNode[]; summary: string }> {
    const api = await testingApi();
    let last: string[] = [];
    for (const deadline = Date.now() + EVENT_MS; Date.now() < deadline; await sleep(250)) {
      await vscode.commands.executeCommand('deepseekRepo.context.refresh');
      const { nodes } = api.contextView();
      const files = reports(nodes);
      last = files.map(fromView).sort();
      if (files.length && test(last)) return { lines: last, nodes: files, summary: nodes[0]?.label ?? '' };
    }
    throw new Error(`timed out waiting for ${what}; the view shows:\n${last.join('\n')}`);
  }

  it('shows, per file, what `deepseek-repo pack --json` reports for the same folder, and the same total', async () => {
    await vscode.commands.executeCommand('deepseekRepo.showContext');
    const cli = JSON.parse(
      execFileSync(process.execPath, [CLI, 'pack', folder, '--json'], { encoding: 'utf8' }),
    ) as CliPack;
    const expected = cli.files.map(fromCli).sort();
    assert.ok(
      expected.some((l) => l.startsWith('src/greet.ts included ')),
      expected.join('\n'),
    );
    const view = await shown('the Context view to list the workspace', (lines) => lines.length === expected.length);
    assert.deepEqual(view.lines, expected);
    assert.equal(view.summary, `${cli.tokens.toLocaleString('en-US')} tokens`);
    // Packed under the budget a question packs under (and the CLI's default): what the view shows is what would be
    // sent.
    const maxOutput = vscode.workspace.getConfiguration('deepseekRepo').get<number>('maxOutputTokens')!;
    assert.equal(
      (await testingApi()).contextView().message,
      `${cli.tokens.toLocaleString('en-US')} tokens of ` +
        `${repositoryBudget(maxOutput).toLocaleString('en-US')} available`,
    );
  });

  it(
    'Exclude asks where to keep it: the workspace settings by default (no file in ' +
      'the repository); Include takes it back',
    async () => {
      const excludes = () =>
        vscode.workspace.getConfiguration('deepseekRepo.context').inspect<string[]>('exclude')?.workspaceValue ?? [];
      const node = (
        await shown('src/main.ts in the view', (lines) => lines.some((l) => l.startsWith('src/main.ts included')))
      ).nodes.find((n) => n.rel === 'src/main.ts')!;
      assert.equal(node.canExclude, true);
      const offered: vscode.QuickPickItem[] = [];
      const said: string[] = [];
      const [pick, info] = [vscode.window.showQuickPick, vscode.window.showInformationMessage];
      vscode.window.showQuickPick = (async (items: readonly vscode.QuickPickItem[]) => {
        offered.push(...items);
        return items[0]; // Enter: the first, default choice
      }) as unknown as typeof vscode.window.showQuickPick;
      vscode.window.showInformationMessage = async (message: string) => {
        said.push(message);
        return undefined;
      };
      try {
        await vscode.commands.executeCommand('deepseekRepo.context.exclude', node);
      } finally {
        vscode.window.showQuickPick = pick;
        vscode.window.showInformationMessage = info;
      }
      assert.deepEqual(
        offered.map((i) => [i.label, i.description]),
        [
          ['$(settings-gear) Workspace settings', 'deepseekRepo.context.exclude'],
          ['$(file) .deepseekignore', '.deepseekignore'],
        ],
      );
      assert.deepEqual(said, [
        'src/main.ts is left out. The exclusion is kept in the workspace settings ' +
          '(deepseekRepo.context.exclude): this workspace only, nothing is added to the repository.',
      ]);
      assert.deepEqual(excludes(), ['/src/main.ts']);
      assert.equal(fs.existsSync(ignoreFile), false, 'nothing written into the repository');
      const left = (
        await shown('src/main.ts left out', (lines) => lines.includes('src/main.ts excluded (setting)'))
      ).nodes.find((n) => n.rel === 'src/main.ts')!;
      assert.equal(left.canInclude, true);
      await vscode.commands.executeCommand('deepseekRepo.context.include', left);
      assert.deepEqual(excludes(), []);
      await shown('src/main.ts back in', (lines) => lines.some((l) => l.startsWith('src/main.ts included')));
    },
  );

  it(
    'Exclude into .deepseekignore shares it (the CLI reads it; the file itself is not ' +
      'sent); Include leaves no empty file behind',
    async () => {
      const node = (
        await shown('src/main.ts in the view', (lines) => lines.some((l) => l.startsWith('src/main.ts included')))
      ).nodes.find((n) => n.rel === 'src/main.ts')!;
      await vscode.commands.executeCommand('deepseekRepo.context.exclude', node, 'ignoreFile');
      assert.match(fs.readFileSync(ignoreFile, 'utf8'), /^\/src\/main\.ts$/m);
      const excluded = await shown('src/main.ts left out', (lines) =>
        lines.includes('src/main.ts excluded (deepseekignore)'),
      );
      assert.ok(excluded.lines.includes('.deepseekignore excluded (deepseekignore)'), 'the ignore file is never sent');
      const left = excluded.nodes.find((n) => n.rel === 'src/main.ts')!;
      // The CLI reads the same .deepseekignore.
      const cli = JSON.parse(
        execFileSync(process.execPath, [CLI, 'pack', folder, '--json'], { encoding: 'utf8' }),
      ) as CliPack;
      assert.deepEqual(cli.files.find((f) => f.path === 'src/main.ts')?.reason, 'deepseekignore');

      await vscode.commands.executeCommand('deepseekRepo.context.include', left);
      assert.equal(fs.existsSync(ignoreFile), false, 'its only rule taken back: no comment-only file is left');
      await shown('src/main.ts back in', (lines) => lines.some((l) => l.startsWith('src/main.ts included')));
    },
  );

  it('Include on a lockfile writes the workspace include setting; Exclude takes the pattern out again', async () => {
    const lock = path.join(folder, 'package-lock.json');
    fs.writeFileSync(lock, '{ "name": "fixture", "lockfileVersion": 3, "requires": true, "packages": {} }\n');
    const settings = () =>
      vscode.workspace.getConfiguration('deepseekRepo.context').inspect<string[]>('include')?.workspaceValue;
    try {
      const out = (
        await shown('the lockfile left out', (lines) => lines.includes('package-lock.json excluded (lockfile)'))
      ).nodes.find((n) => n.rel === 'package-lock.json')!;
      assert.equal(out.canInclude, true);
      await vscode.commands.executeCommand('deepseekRepo.context.include', out);
      assert.deepEqual(settings(), ['/package-lock.json']);
      const back = (
        await shown('the lockfile included', (lines) => lines.some((l) => l.startsWith('package-lock.json included')))
      ).nodes.find((n) => n.rel === 'package-lock.json')!;
      // asks nothing: it takes the include out
      await vscode.commands.executeCommand('deepseekRepo.context.exclude', back);
      assert.deepEqual(settings(), []);
      await shown('the lockfile left out again', (lines) => lines.includes('package-lock.json excluded (lockfile)'));
    } finally {
      fs.rmSync(lock, { force: true });
      await vscode.workspace
        .getConfiguration('deepseekRepo.context')
        .update('include', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
});
