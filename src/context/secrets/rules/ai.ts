// AI provider keys: OpenAI (legacy, project, service-account, admin), Anthropic, DeepSeek, OpenRouter,
// Hugging Face, Groq, xAI, Perplexity, Replicate, and other `sk-` keys. Google AI (Gemini) keys are
// Google API keys (`AIza…`) and are caught by the cloud rule.
import { isExampleOrFiller, randomEnough } from '../allow';
import { charClasses, isWordLike, shannonEntropy } from '../entropy';
import { regexRule, type SecretRule } from '../rule';

const prefixed = (id: string, pattern: RegExp, minEntropy = 3.5) =>
  regexRule({ id, pattern, validate: randomEnough(minEntropy) });

const SK_SHAPES: readonly [RegExp, string, number][] = [
  [
    /^sk-(?:(?:proj|svcacct|admin|None)-[A-Za-z0-9_-]{40,250}|[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20})$/,
    'openai-api-key',
    3.8,
  ],
  [/^sk-ant-(?:api|admin|oat|ort)[0-9]{2}-[A-Za-z0-9_-]{80,120}$/, 'anthropic-api-key', 4],
  [/^sk-or-v1-[a-f0-9]{64}$/, 'openrouter-api-key', 3.3],
  [/^sk-[a-f0-9]{32}$/, 'deepseek-api-key', 3.2],
];

/**
 * OpenAI, Anthropic, OpenRouter, DeepSeek by shape; other long mixed-case `sk-` keys (Moonshot, Together, …) as
 * `sk-api-key`.
 */
function classifySk(key: string): string | undefined {
  if (isExampleOrFiller(key)) return undefined;
  for (const [shape, id, minEntropy] of SK_SHAPES)
    if (shape.test(key)) return shannonEntropy(key) >= minEntropy ? id : undefined;
  const ok =
    /^sk-[A-Za-z0-9]{32,100}$/.test(key) &&
    charClasses(key) >= 3 &&
    !isWordLike(key.slice(3)) &&
    shannonEntropy(key) >= 4;
  return ok ? 'sk-api-key' : undefined;
}

export const AI_RULES: SecretRule[] = [
  regexRule({
    // Every `sk-` key in one pass; the shape decides whose it is.
    id: 'openai-api-key',
    pattern: /(?<![A-Za-z0-9_-])sk-[A-Za-z0-9_-]{32,320}(?![A-Za-z0-9_-])/dg,
    classify: classifySk,
  }),
  prefixed('huggingface-token', /(?<![A-Za-z0-9_-])hf_[A-Za-z]{34}(?![A-Za-z0-9_])/dg, 3.8),
  prefixed('huggingface-token', /(?<![A-Za-z0-9_-])api_org_[A-Za-z]{34}(?![A-Za-z0-9_])/dg, 3.8),
  prefixed('groq-api-key', /(?<![A-Za-z0-9_-])gsk_[A-Za-z0-9]{52}(?![A-Za-z0-9_])/dg),
  prefixed('xai-api-key', /(?<![A-Za-z0-9_-])xai-[A-Za-z0-9]{80}(?![A-Za-z0-9_-])/dg),
  prefixed('perplexity-api-key', /(?<![A-Za-z0-9_-])pplx-[A-Za-z0-9]{48}(?![A-Za-z0-9_-])/dg),
  prefixed('replicate-api-token', /(?<![A-Za-z0-9_-])r8_[A-Za-z0-9]{37}(?![A-Za-z0-9_])/dg),
];
