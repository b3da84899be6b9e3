// Payment provider secrets: Stripe secret, restricted and webhook-signing keys; Square access tokens
// and OAuth secrets; Braintree and PayPal access tokens. Publishable keys (`pk_live_…`) are public
// by design and stay. PayPal client secrets have no prefix and fall to the generic assignment rule.
import { randomEnough } from '../allow';
import { regexRule, type SecretRule } from '../rule';

export const PAYMENT_RULES: SecretRule[] = [
  regexRule({
    // Secret (sk_) and restricted (rk_) keys, live and test mode.
    id: 'stripe-secret-key',
    pattern: /(?<![A-Za-z0-9_-])([sr])k_(?:live|test|prod)_[A-Za-z0-9]{16,247}(?![A-Za-z0-9])/dg,
    classify: (key, m) =>
      randomEnough(3.3)(key) ? (m[1] === 's' ? 'stripe-secret-key' : 'stripe-restricted-key') : undefined,
  }),
  regexRule({
    id: 'stripe-webhook-secret',
    pattern: /(?<![A-Za-z0-9_-])whsec_[A-Za-z0-9+/=]{24,100}(?![A-Za-z0-9+/=])/dg,
    validate: randomEnough(3.5),
  }),
  regexRule({
    id: 'square-access-token',
    pattern: /(?<![A-Za-z0-9_-])(?:EAAA[A-Za-z0-9_-]{40,80}|sq0atp-[A-Za-z0-9_-]{22})(?![A-Za-z0-9_-])/dg,
    validate: randomEnough(3.5),
  }),
  regexRule({
    id: 'square-oauth-secret',
    pattern: /(?<![A-Za-z0-9_-])sq0csp-[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/dg,
    validate: randomEnough(3.5),
  }),
  regexRule({
    id: 'braintree-access-token',
    pattern: /(?<![A-Za-z0-9_-])access_token\$(?:production|sandbox)\$[0-9a-z]{16}\$[0-9a-f]{32}(?![A-Za-z0-9])/dg,
    validate: randomEnough(3.3),
  }),
  regexRule({
    id: 'paypal-access-token',
    pattern: /(?<![A-Za-z0-9_-])A21AA[A-Za-z0-9_-]{50,150}(?![A-Za-z0-9_-])/dg,
    validate: randomEnough(4),
  }),
];
