// Package registry tokens (npm, PyPI, RubyGems, Docker Hub, `.npmrc` auth lines) and SaaS API keys
// with a recognisable shape (SendGrid, Twilio, Mailgun, Mailchimp, Shopify).
import { isPlaceholderValue, randomEnough } from '../allow';
import { hasBase62Crc32Suffix } from '../checksums';
import { anchoredRule, PRIORITY, regexRule, type SecretRule } from '../rule';

const prefixed = (id: string, pattern: RegExp, minEntropy = 3.3) =>
  regexRule({ id, pattern, validate: randomEnough(minEntropy) });

export const PACKAGE_RULES: SecretRule[] = [
  regexRule({
    id: 'npm-token',
    pattern: /(?<![A-Za-z0-9_-])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9_])/dg,
    validate: (s) => hasBase62Crc32Suffix(s.slice(4)) || randomEnough(3.5)(s),
  }),
  regexRule({
    // `.npmrc` lines (`//registry.npmjs.org/:_authToken=…`, `_auth=`, `_password=`), wherever they are written.
    id: 'npmrc-auth',
    priority: PRIORITY.connection,
    tagged: false,
    pattern: /_(?:authToken|auth|password)[ \t]*=[ \t]*(?<s>[A-Za-z0-9+/=._~-]{8,512})(?![^\s"'#;])/dg,
    validate: (s, m, text) =>
      (m.index === 0 || /[:\n\r]/.test(text[m.index - 1]!)) && !isPlaceholderValue(s) && !s.startsWith('$'),
  }),
  prefixed('pypi-token', /(?<![A-Za-z0-9_-])pypi-AgE[A-Za-z0-9_-]{50,1000}(?![A-Za-z0-9_-])/dg, 4),
  prefixed('rubygems-api-key', /(?<![A-Za-z0-9_-])rubygems_[a-f0-9]{48}(?![A-Za-z0-9_])/dg),
  prefixed('docker-hub-token', /(?<![A-Za-z0-9_-])dckr_(?:pat|oat)_[A-Za-z0-9_-]{27,40}(?![A-Za-z0-9_-])/dg),
];

export const SAAS_RULES: SecretRule[] = [
  prefixed('sendgrid-api-key', /(?<![A-Za-z0-9_-])SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/dg, 4),
  // Twilio API key SIDs; account SIDs (AC…) are identifiers and stay; auth tokens fall to the generic rule.
  prefixed('twilio-api-key', /(?<![A-Za-z0-9_-])SK[0-9a-fA-F]{32}(?![A-Za-z0-9_])/dg),
  prefixed('mailgun-api-key', /(?<![A-Za-z0-9_-])key-[0-9a-f]{32}(?![A-Za-z0-9_-])/dg),
  anchoredRule({
    id: 'mailchimp-api-key',
    anchor: '-us',
    back: [32, 32],
    pattern: /(?<![A-Za-z0-9_-])[0-9a-f]{32}-us[0-9]{1,2}(?![A-Za-z0-9_-])/dy,
    validate: randomEnough(3.3),
  }),
  prefixed('shopify-token', /(?<![A-Za-z0-9_-])shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}(?![A-Za-z0-9_])/dg),
];
