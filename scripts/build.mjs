// Builds the two bundles (extension + CLI for Node, the webview app for the browser) with esbuild.
//   node scripts/build.mjs [--production] [--watch]
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
fs.rmSync('dist', { recursive: true, force: true });

// Data files the bundles load at run time from dist/data/ (next to extension.js, cli.js and the
// worker files): the tokenizer's compressed BPE merge table, and the same with its merge index built, which
// a first count loads in one read (src/context/tokenizer/format.ts; made here by model.ts's own code).
fs.mkdirSync('dist/data', { recursive: true });
fs.copyFileSync('src/context/tokenizer/deepseek-v3-bpe.br', 'dist/data/deepseek-v3-bpe.br');
{
  const { outputFiles } = await esbuild.build({
    entryPoints: ['src/context/tokenizer/model.ts'],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    write: false,
    logLevel: 'warning',
  });
  const model = { exports: {} };
  new Function('module', 'exports', 'require', outputFiles[0].text)(
    model,
    model.exports,
    createRequire(import.meta.url),
  );
  const { indexedData, INDEXED_FILE } = model.exports;
  fs.writeFileSync(`dist/data/${INDEXED_FILE}`, indexedData(fs.readFileSync('dist/data/deepseek-v3-bpe.br')));
}

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  logLevel: 'warning',
  legalComments: 'none',
};

/** @type {esbuild.BuildOptions[]} */
const builds = [
  {
    ...common,
    entryPoints: { extension: 'src/extension.ts', 'cli-main': 'src/cli.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    external: ['vscode'],
    banner: { js: '#!/usr/bin/env node' },
    define: { DSR_VERSION: JSON.stringify(JSON.parse(fs.readFileSync('package.json', 'utf8')).version) },
  },
  {
    // The `deepseek-repo` executable (dist/cli.js): turns on Node's compile cache, then runs dist/cli-main.js.
    ...common,
    entryPoints: { cli: 'src/cliStart.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    // `deepseek-repo mcp` (src/cli.ts loads it from here): the MCP SDK and zod kept out of cli.js.
    ...common,
    entryPoints: { mcp: 'src/mcp/command.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node22',
  },
  {
    // The context engine's worker thread (cold scans read, redact, hash and count on every core).
    ...common,
    entryPoints: { 'packWorker.worker': 'src/context/read/packWorker.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node22',
  },
  {
    ...common,
    entryPoints: { app: 'src/webview/main.ts' },
    outdir: 'dist/webview',
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
  },
  {
    ...common,
    entryPoints: { app: 'src/webview/app.css' },
    outdir: 'dist/webview',
    loader: { '.ttf': 'file' },
    assetNames: '[name]',
  },
  {
    // The renderer alone, as an ES module, so it can be checked in any browser.
    ...common,
    entryPoints: { markdown: 'src/webview/markdown.ts' },
    outdir: 'dist/webview',
    platform: 'browser',
    format: 'esm',
    target: 'chrome120',
  },
];

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
  console.log('watching…');
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
  fs.chmodSync('dist/cli.js', 0o755);
}
