// Lint: typescript-eslint's recommended and stylistic sets with type information, 120-column lines, and the
// module boundaries (the core never imports vscode or host/browser code; the webview imports only itself,
// src/protocol and browser libraries). test/unit/boundaries.test.ts checks the same boundaries without ESLint.
import js from '@eslint/js';
import stylistic from '@stylistic/eslint-plugin';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const CORE = ['context', 'llm', 'chat', 'protocol', 'shared'];
const HOST_ONLY = ['**/ui/**', '**/webview/**', '**/extension', '**/commands', '**/config', '**/cli/**', '**/mcp/**'];

export default defineConfig(
  {
    ignores: ['dist/', 'out/', 'node_modules/', '.e2e/', '.bench/', 'media/', 'test/fixtures/', 'test/e2e/tools/'],
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  tseslint.configs.stylisticTypeChecked,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    plugins: { '@stylistic': stylistic },
    rules: {
      '@stylistic/max-len': ['error', { code: 120, ignoreUrls: true, ignoreRegExpLiterals: true }],
      // An async function implementing a Promise-returning port need not await; dropping `async` would turn
      // its throws into synchronous ones.
      '@typescript-eslint/require-await': 'off',
      // A no-op callback (`() => {}`) is how an event is ignored; an empty function or method needs a comment.
      // `||` on a string is deliberate where '' means unset (an empty environment variable or setting).
      '@typescript-eslint/prefer-nullish-coalescing': ['error', { ignorePrimitives: { string: true } }],
      // An abort passes on `signal.reason` and a failure the error it caught, whatever they are, as `throw` may.
      '@typescript-eslint/prefer-promise-reject-errors': [
        'error',
        { allowThrowingAny: true, allowThrowingUnknown: true },
      ],
      // It flags every method named `apply` (the stream accumulators'); nobody writes Function#apply in TypeScript.
      'prefer-spread': 'off',
      '@typescript-eslint/no-empty-function': ['error', { allow: ['arrowFunctions'] }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  { files: ['**/*.js', '**/*.mjs', '**/*.cjs'], extends: [tseslint.configs.disableTypeChecked] },
  // A CommonJS file (a preload given to `node --require`) has no other way to load a module.
  { files: ['**/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  // The root tsconfig leaves the webview benchmark to test/webview/tsconfig.json (it needs DOM types), which
  // the project service would not find from test/bench.
  {
    files: ['test/bench/webview*.ts'],
    languageOptions: { parserOptions: { projectService: false, project: ['test/webview/tsconfig.json'] } },
  },
  { files: ['test/webview/stub.js'], languageOptions: { globals: { ...globals.browser } } },
  // The suites are required inside runMocha's callback, once mocha's globals exist: an import would run them first.
  { files: ['test/e2e/**/run*.ts'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  ...CORE.map((folder) => ({
    files: [`src/${folder}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'vscode', message: `src/${folder} is the vscode-free core: take what it needs through a port.` },
          ],
          patterns: [
            { group: HOST_ONLY, message: `src/${folder} is the core: it never imports host or browser code.` },
          ],
        },
      ],
    },
  })),
  {
    files: ['src/webview/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'The webview runs in the browser.' }],
          patterns: [
            { group: ['node:*'], message: 'The webview runs in the browser.' },
            {
              regex: '^\\.\\./(?!protocol/)',
              message: 'src/webview imports only itself, src/protocol and browser libraries.',
            },
          ],
        },
      ],
    },
  },
);
