// The literals a rule's matches must contain (read from its pattern), and finding which of many occur in one pass: a
// rule is skipped only when none of its literals occurs, so both must never miss one.
import * as assert from 'node:assert/strict';
import { LiteralSet, literalsOf } from '../../../../src/context/secrets/literals';
import { RULES } from '../../../../src/context/secrets/rules';
import { redactSecrets } from '../../../../src/context/secrets';

describe('secret rule literals', () => {
  it('reads the literals a pattern starts with, after a leading lookbehind', () => {
    assert.deepEqual(literalsOf(/(?<![A-Za-z0-9_-])AIza[A-Za-z0-9_-]{35}/dg), ['AIza']);
    assert.deepEqual(literalsOf(/(?<![A-Za-z0-9_-])(?:AKIA|ASIA|A3T[A-Z0-9])[A-Z2-7]{16}/dg), ['AKIA', 'ASIA', 'A3T']);
    assert.deepEqual(literalsOf(/(?<![A-Za-z0-9_-])hooks\.slack\.com\/x/dg), ['hooks.slack.com/x']);
    assert.deepEqual(literalsOf(/access_token\$(?:production|sandbox)\$/dg), [
      'access_token$production',
      'access_token$sandbox',
    ]);
    assert.deepEqual(literalsOf(/_(?:authToken|auth|password)[ \t]*=/dg), ['_authToken', '_auth', '_password']);
    assert.deepEqual(literalsOf(/gh([pousr])_[A-Za-z0-9]{36}/dg), ['gh']);
    assert.deepEqual(literalsOf(/ab+c/g), ['ab'], 'what follows a repeated character need not follow it directly');
  });

  it('reads none where a match need not start with a literal', () => {
    for (const re of [
      /([sr])k_(?:live|test)_/dg, // a class first
      /(?:(?:glpat|gldt)-|GR1348941)x/dg, // a nested group
      /(?:ab|cd)?x/g, // the group may be absent
      /sk-[a-z]|[0-9]+/g, // an alternative without a literal
      /\bkey/g, // an assertion
      /token/gi, // any case
      /(?=x)y/g,
    ])
      assert.equal(literalsOf(re), undefined, re.source);
    assert.deepEqual(literalsOf(/ab?c/g), ['a'], 'the b may be absent: only the a is certain');
    assert.deepEqual(literalsOf(/\tx/g), undefined, 'an escape that is not the character itself ends the literal');
  });

  it('finds every literal that occurs, overlapping ones included, and none that does not', () => {
    const set = new LiteralSet(['xoxb', 'oxbow', 'bow', 'sk-', 'sk-proj', 'a.b', 'never']);
    assert.deepEqual(
      [...set.foundIn('an oxbowl, sk-proj and a.b')].sort(),
      ['bow', 'oxbow', 'sk-', 'sk-proj', 'a.b'].sort(),
    );
    assert.deepEqual([...set.foundIn('xoxbow')].sort(), ['bow', 'oxbow', 'xoxb'].sort());
    assert.deepEqual([...set.foundIn('axb')], [], 'a literal is matched as written, not as a pattern');
    assert.deepEqual([...new LiteralSet([]).foundIn('anything')], []);
  });

  it('gives every rule whose pattern starts with a literal those literals as its keywords', () => {
    assert.ok(
      RULES.filter((r) => r.keywords.length > 0).length >= 40,
      'most rules are skipped where they cannot match',
    );
    for (const r of RULES) for (const k of r.keywords) assert.ok(k.length > 0, r.id);
  });

  it('redacts a secret whose rule is found through its literal', () => {
    const key = ['AIza', 'SyD3x9Qv2Lm8Rt5Wk1Hp7Zc4Nb6Jf0Gs2Ue'].join('');
    const { text, findings } = redactSecrets(`const apiKey = "${key}";\n`);
    assert.ok(!text.includes(key));
    assert.ok(findings.some((f) => f.rule === 'google-api-key'));
  });
});
