// Chat and webhook credentials: Slack tokens and webhook URLs, Discord bot tokens and webhooks,
// Telegram bot tokens, Microsoft Teams incoming webhooks. For webhook URLs only the secret path
// is replaced, so the model still sees which service a file talks to.
import { randomEnough } from '../allow';
import { decodeBase64 } from '../checksums';
import { anchoredRule, regexRule, type SecretRule } from '../rule';

export const CHAT_RULES: SecretRule[] = [
  regexRule({
    // Bot, user, app-level, refresh, legacy and rotating (xoxe.xoxp-) tokens.
    id: 'slack-token',
    pattern: /(?<![A-Za-z0-9_-])(?:xox[abprose]|xoxe\.xox[bp]|xapp)-[A-Za-z0-9-]{10,250}(?![A-Za-z0-9-])/dg,
    validate: (s) => /[0-9]/.test(s) && randomEnough(3)(s),
  }),
  regexRule({
    id: 'slack-webhook-url',
    pattern: /(?<![A-Za-z0-9_-])hooks\.slack\.com\/(?:services|workflows|triggers)\/(?<s>[A-Za-z0-9_/-]{20,120})/dg,
    validate: randomEnough(3.5),
  }),
  anchoredRule({
    // base64(user id) . base64(timestamp) . HMAC. The first part must decode to a Discord snowflake.
    id: 'discord-bot-token',
    anchor: /\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27}/g,
    back: [24, 28],
    pattern: /(?<![A-Za-z0-9_-])[MNO][A-Za-z0-9_-]{23,27}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,40}(?![A-Za-z0-9_.-])/dy,
    validate: (s) => /^[0-9]{17,20}$/.test(decodeBase64(s.slice(0, s.indexOf('.')))) && randomEnough(3.5)(s),
  }),
  regexRule({
    id: 'discord-webhook-url',
    pattern:
      /(?<![A-Za-z0-9_-])(?:discord|discordapp)\.com\/api\/webhooks\/[0-9]{17,20}\/(?<s>[A-Za-z0-9_-]{60,80})(?![A-Za-z0-9_-])/dg,
    validate: randomEnough(3.5),
  }),
  anchoredRule({
    // `123456789:AA…`; also inside `api.telegram.org/bot<token>/`.
    id: 'telegram-bot-token',
    anchor: ':AA',
    back: [8, 10],
    pattern: /(?<![0-9])[0-9]{8,10}:AA[A-Za-z0-9_-]{33}(?![A-Za-z0-9_-])/dy,
    validate: randomEnough(3.5),
  }),
  regexRule({
    id: 'teams-webhook-url',
    pattern:
      /(?:\.webhook\.office\.com\/webhookb2|\boutlook\.office(?:365)?\.com\/webhook)\/(?<s>[A-Za-z0-9@/_-]{60,300})/dg,
    validate: (s) => /IncomingWebhook\/[0-9a-f]{32}/.test(s) && randomEnough(3.5)(s),
  }),
];
