// Every content rule, in one list. Order does not matter: overlaps are settled by priority.
import type { SecretRule } from '../rule';
import { AI_RULES } from './ai';
import { CHAT_RULES } from './chat';
import { CLOUD_RULES } from './cloud';
import { CONNECTION_RULES } from './connection';
import { GENERIC_RULES } from './generic';
import { HEADER_RULES } from './header';
import { JWT_RULES } from './jwt';
import { KUBERNETES_RULES } from './kubernetes';
import { PAYMENT_RULES } from './payment';
import { PRIVATE_KEY_RULES } from './privateKeys';
import { PACKAGE_RULES, SAAS_RULES } from './services';
import { VCS_RULES } from './vcs';

export const RULES: readonly SecretRule[] = [
  ...PRIVATE_KEY_RULES,
  ...CLOUD_RULES,
  ...VCS_RULES,
  ...CHAT_RULES,
  ...PAYMENT_RULES,
  ...AI_RULES,
  ...PACKAGE_RULES,
  ...SAAS_RULES,
  ...JWT_RULES,
  ...KUBERNETES_RULES,
  ...CONNECTION_RULES,
  ...HEADER_RULES,
  ...GENERIC_RULES,
];
