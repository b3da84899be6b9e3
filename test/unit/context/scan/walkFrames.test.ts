// walkFrames: which rule leaves a path out, in the walk's order of precedence: the exclude setting,
// then .deepseekignore (its `!` lets a path back in), then an excluded folder's reason, then git's
// rules, which a tracked file beats; and an include pattern takes what it matches.
import * as assert from 'node:assert/strict';
import { parseRules, rulesFromPatterns } from '../../../../src/context/scan/ignoreRules';
import { decide, isIncluded, relJoin, type Frame } from '../../../../src/context/scan/walkFrames';

const frame = (over: Partial<Frame> = {}): Frame => ({
  abs: '/w',
  real: '/w',
  rel: '',
  repoRel: '',
  git: [parseRules('*.log\nbuild/\n', '', '.gitignore')],
  ds: [parseRules('notes/\n!keep.log\n', '', '.deepseekignore')],
  attrs: [],
  forced: false,
  ...over,
});
const file = (rel: string, tracked = false) => ({ rel, repoRel: rel, isDir: false, tracked });
const none = rulesFromPatterns([], 'exclude setting');

describe('walkFrames', () => {
  it("leaves a path out by git's rules, naming the rule, unless git tracks it", () => {
    assert.deepEqual(decide(frame(), file('a.log'), none), { reason: 'gitignore', detail: '.gitignore:1: *.log' });
    assert.equal(decide(frame(), file('a.log', true), none), undefined);
    assert.deepEqual(decide(frame(), { ...file('build'), isDir: true }, none), {
      reason: 'gitignore',
      detail: '.gitignore:2: build/',
    });
    assert.equal(decide(frame(), file('a.ts'), none), undefined);
  });

  it('.deepseekignore comes before git: it leaves folders out and its `!` lets a path back in', () => {
    assert.deepEqual(decide(frame(), { ...file('notes'), isDir: true }, none), {
      reason: 'deepseekignore',
      detail: '.deepseekignore:1: notes/',
    });
    assert.equal(decide(frame(), file('keep.log'), none), undefined);
  });

  it('the exclude setting comes first, and its reason says which pattern', () => {
    const exclude = rulesFromPatterns(['keep.log'], 'exclude setting');
    assert.deepEqual(decide(frame(), file('keep.log'), exclude), {
      reason: 'setting',
      detail: 'exclude setting: keep.log',
    });
  });

  it("an excluded folder's own reason holds inside it; a tracked file beats only git's", () => {
    const byGit = frame({ inherited: { reason: 'gitignore', detail: '.gitignore:2: build/' } });
    assert.equal(decide(byGit, file('build/out.js', true), none), undefined);
    assert.deepEqual(decide(byGit, file('build/out.js'), none), byGit.inherited);
    const bySetting = frame({ inherited: { reason: 'setting', detail: 'exclude setting: build' } });
    assert.deepEqual(decide(bySetting, file('build/out.js', true), none), bySetting.inherited);
  });

  it('an include pattern takes what it matches, and nothing without patterns', () => {
    const include = rulesFromPatterns(['dist/**', '!dist/big.js'], 'include setting');
    assert.equal(isIncluded(include, 'dist/app.js', false), true);
    assert.equal(isIncluded(include, 'dist/big.js', false), false);
    assert.equal(isIncluded(rulesFromPatterns([], 'include setting'), 'dist/app.js', false), false);
    assert.equal(relJoin('', 'a'), 'a');
    assert.equal(relJoin('src', 'a'), 'src/a');
  });
});
