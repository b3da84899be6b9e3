// The `ask --json` events: the schema accepts exactly the documented shapes (no missing, extra or
// mistyped field), and README.md's event list names the same events with the same fields, so the
// documentation cannot drift from what the CLI prints. (The CLI's real output is checked against the
// schema line by line in test/unit/cli*.test.ts through test/helpers/cliEvents.ts.)
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cliEventVariants, parseCliEvent } from '../../../src/protocol/cliEvents';
import { REPO } from '../../helpers/paths';
import { parseShape, schemaShape, shapeDifferences, type Shape } from '../../helpers/schemaShape';

/** The README's `ask --json` events: `- \`name\` \`{fields}\`: what it means`, list items in "Command line". */
function readmeEvents(readme: string): Map<string, Shape> {
  const start = readme.indexOf('\n## Command line');
  assert.ok(start >= 0, 'README.md has a "Command line" section');
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  const items: string[] = [];
  for (const line of section.split('\n')) {
    if (line.startsWith('- ')) items.push(line);
    else if (line.startsWith('  ') && items.length) items[items.length - 1] += ' ' + line.trim();
    else items.push(''); // anything else ends the item
  }
  const events = new Map<string, Shape>();
  for (const item of items) {
    const m = /^- `(\w+)` `(\{[^`]*\})`/.exec(item);
    if (m) events.set(m[1]!, parseShape(m[2]!));
  }
  return events;
}

/** Differences between the README's list and the schema, one sentence each (none: they agree). */
function differences(readme: string): string[] {
  const documented = readmeEvents(readme);
  const problems: string[] = [];
  for (const [type, fields] of Object.entries(cliEventVariants)) {
    const doc = documented.get(type);
    if (!doc) problems.push(`the README does not list the ${type} event`);
    else problems.push(...shapeDifferences(type, doc, schemaShape(fields)));
  }
  for (const type of documented.keys())
    if (!(type in cliEventVariants)) problems.push(`the README lists a ${type} event the schema does not define`);
  return problems;
}

describe('ask --json events: the schema', () => {
  const good = [
    {
      type: 'context',
      files: 3,
      outlined: 1,
      excluded: 2,
      redactions: 0,
      repositoryTokens: 1200,
      update: { changed: ['src/a.ts'], added: [], removed: ['b.ts'], tokens: 40 },
      rebased: 'focus',
      warmup: false,
      windowTokens: 65536,
      promptTokens: 1500,
      predictedHitTokens: 1024,
      estimatedCostUsd: 0.0012,
    },
    { type: 'warmup', promptTokens: 1400, cacheHitTokens: 0, costUsd: 0.001 },
    { type: 'retry', attempt: 1, delayMs: 812.5, error: { kind: 'rate_limit', status: 429, message: 'Busy.' } },
    { type: 'window', windowTokens: 32768, previousTokens: 1048576, message: 'asked again' },
    { type: 'reasoning', text: 'Let me see' },
    { type: 'content', text: 'It works.' },
    { type: 'usage', promptTokens: 1500, cacheHitTokens: 1024, cacheMissTokens: 476, completionTokens: 20 },
    { type: 'cost', answerUsd: 0.001, turnUsd: 0.002, conversationUsd: 0.003, peak: false, asOf: '2026-04-24' },
    { type: 'end', outcome: 'error', error: { kind: 'auth', status: 401, message: 'Bad key.' } },
    { type: 'end', outcome: 'complete', finishReason: 'stop', warning: 'read only part' },
    { type: 'tool_call', id: 'call_0', name: 'read_files', arguments: '{"paths":["a.ts"]}' },
    { type: 'tool_result', id: 'call_0', name: 'read_files', ok: true, summary: 'read a.ts (12 tokens)' },
    { type: 'end', outcome: 'interrupted', steps: 25, stopped: 'step-limit' },
    {
      type: 'dryRun',
      model: 'deepseek-v4-pro',
      tokens: 10,
      promptTokens: 200,
      predictedHitTokens: 0,
      files: [
        { path: 'a.ts', tokens: 10, status: 'included' },
        { path: 'b.png', tokens: 0, status: 'excluded', reason: 'binary' },
      ],
    },
  ];

  it('accepts every event type, unchanged', () => {
    assert.deepEqual(new Set(good.map((e) => e.type)), new Set(Object.keys(cliEventVariants)));
    for (const e of good) assert.deepEqual(parseCliEvent(e), e, e.type);
  });

  it('rejects an unknown type, a missing field, a mistyped field, and a bad nested error', () => {
    const bad: unknown[] = [
      { type: 'tool', text: 'x' },
      { text: 'x' },
      { type: 'usage', promptTokens: 1, cacheHitTokens: 0, cacheMissTokens: 1 },
      { type: 'usage', promptTokens: -1, cacheHitTokens: 0, cacheMissTokens: 1, completionTokens: 0 },
      { type: 'end', outcome: 'done' },
      { type: 'end', outcome: 'error', error: { kind: 'auth' } },
      { type: 'context', files: 1, outlined: 0, excluded: 0, redactions: 0, repositoryTokens: 1, warmup: 'no' },
      'end',
      null,
    ];
    for (const b of bad) assert.equal(parseCliEvent(b), undefined, JSON.stringify(b));
  });

  it('drops a field it does not define (so the CLI tests can tell an undocumented field)', () => {
    assert.deepEqual(parseCliEvent({ type: 'content', text: 'a', extra: 1 }), { type: 'content', text: 'a' });
  });
});

describe('ask --json events: README.md', () => {
  const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');

  it('lists every event with exactly the fields of the schema', () => {
    assert.deepEqual(differences(readme), []);
  });

  it('the check fails when the README misses an event, a field, an optional mark or a nested field', () => {
    const cases: [string, string, RegExp][] = [
      ['- `warmup` `{promptTokens, cacheHitTokens, costUsd?}`', '- `warm` `{promptTokens}`', /warmup event/],
      ['`{promptTokens, cacheHitTokens, costUsd?}`', '`{promptTokens, costUsd?}`', /warmup: .*cacheHitTokens/],
      ['`{promptTokens, cacheHitTokens, costUsd?}`', '`{promptTokens, cacheHitTokens, costUsd}`', /costUsd required/],
      ['error?: {kind, status?, message}', 'error?: {kind, message}', /end\.error: .*status/],
      ['files: [{path, tokens, status, reason?,', 'files: [{path, status, reason?,', /dryRun\.files: .*tokens/],
      ['`{text}`: thinking', '`{text, tokens}`: thinking', /lists tokens/],
    ];
    for (const [from, to, expected] of cases) {
      assert.ok(readme.includes(from), `the README still has ${from}`);
      const problems = differences(readme.replace(from, to));
      assert.ok(
        problems.some((p) => expected.test(p)),
        `${to}: ${problems.join('; ') || 'no difference found'}`,
      );
    }
  });

  it('reads the notation, nested objects and arrays of objects included', () => {
    assert.deepEqual(parseShape('{a, b?, c: {d}, e?: [{f?}]}'), {
      a: { optional: false },
      b: { optional: true },
      c: { optional: false, shape: { d: { optional: false } } },
      e: { optional: true, shape: { f: { optional: true } } },
    });
    assert.throws(() => parseShape('{a b}'));
  });
});
