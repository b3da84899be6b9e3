// How a repository writes tests (framework, where tests live, one to imitate), read from its file
// list and manifests, so the Generate Tests prompt asks for tests that match it.

const FRAMEWORKS: [RegExp, string][] = [
  [/"vitest"/, 'Vitest'],
  [/"jest"|"ts-jest"/, 'Jest'],
  [/"mocha"/, 'Mocha'],
  [/"ava"/, 'AVA'],
  [/"@playwright\/test"/, 'Playwright Test'],
  [/"jasmine"/, 'Jasmine'],
  [/"tap"|"node-tap"/, 'node-tap'],
];

/**
 * Describes how the repository writes tests, from its file list and manifest texts, so generated tests
 * match it: the framework, where test files live and an example to imitate. Empty facts are left out.
 */
export function describeTestStyle(paths: string[], manifests: Record<string, string>): string {
  const tests = paths.filter((p) =>
    /(^|\/)(tests?|__tests__|spec)\/|[._-](test|spec)\.[cm]?[jt]sx?$|(^|\/)test_[^/]+\.py$|_test\.(py|go)$|Tests?\.(java|cs|kt)$/.test(
      p,
    ),
  );
  const facts: string[] = [];
  const pkg = manifests['package.json'];
  const framework = pkg ? FRAMEWORKS.find(([re]) => re.test(pkg))?.[1] : undefined;
  if (framework) facts.push(`This repository tests with ${framework}.`);
  else if (manifests['pyproject.toml']?.includes('pytest') || tests.some((t) => /(^|\/)test_[^/]+\.py$/.test(t)))
    facts.push('This repository tests with pytest.');
  else if (tests.some((t) => t.endsWith('_test.go'))) facts.push("This repository uses Go's testing package.");
  else if (manifests['Cargo.toml']) facts.push('This is a Rust crate: use #[cfg(test)] modules or tests/.');
  if (tests.length) {
    const dirs = [...new Set(tests.map((t) => (t.includes('/') ? t.slice(0, t.lastIndexOf('/') + 1) : './')))].slice(
      0,
      3,
    );
    facts.push(
      `Existing tests live in ${dirs.map((d) => `\`${d}\``).join(', ')}; imitate \`${tests[0]}\` (imports, ` +
        `naming, assertion style).`,
    );
  } else facts.push('The repository has no tests yet: pick the conventional framework for its language and say which.');
  return facts.join(' ');
}
