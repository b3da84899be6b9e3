// The typed messages between the extension host and the webview app (panel and sidebar alike).
// Rules: the host sends nothing before `ready`; every streamed message carries a `requestId`; a
// stream ends with `end` (or `error`); cancel is its own message; both sides validate what they get.

export type Outcome = 'complete' | 'interrupted' | 'error' | 'cancelled';

export interface ContextSummary {
  files: number;
  tokens: number;
  outlined: number;
  excluded: number;
  redactions: number;
}

export type HostToWebview =
  | { type: 'init'; surface: 'panel' | 'sidebar'; hasKey: boolean; trusted: boolean }
  | { type: 'turnStart'; requestId: string; question: string }
  | { type: 'context'; requestId: string; summary: ContextSummary }
  | { type: 'reasoningDelta'; requestId: string; text: string }
  | { type: 'contentDelta'; requestId: string; text: string }
  | { type: 'end'; requestId: string; outcome: Outcome; message?: string }
  | { type: 'clear' };

export type WebviewToHost =
  | { type: 'ready' }
  | { type: 'ask'; question: string }
  | { type: 'cancel'; requestId: string }
  | { type: 'setApiKey' }
  | { type: 'openLink'; href: string };

const str = (v: unknown): v is string => typeof v === 'string';

/** Validates a message from the webview; returns undefined for anything malformed. */
export function parseWebviewMessage(raw: unknown): WebviewToHost | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const m = raw as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
    case 'setApiKey':
      return { type: m.type };
    case 'ask':
      return str(m.question) && m.question.trim() ? { type: 'ask', question: m.question } : undefined;
    case 'cancel':
      return str(m.requestId) ? { type: 'cancel', requestId: m.requestId } : undefined;
    case 'openLink':
      return str(m.href) ? { type: 'openLink', href: m.href } : undefined;
    default:
      return undefined;
  }
}

/** Validates a message from the host; returns undefined for anything malformed. */
export function parseHostMessage(raw: unknown): HostToWebview | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const m = raw as Record<string, unknown>;
  switch (m.type) {
    case 'init':
      return (m.surface === 'panel' || m.surface === 'sidebar') && typeof m.hasKey === 'boolean' && typeof m.trusted === 'boolean'
        ? { type: 'init', surface: m.surface, hasKey: m.hasKey, trusted: m.trusted }
        : undefined;
    case 'turnStart':
      return str(m.requestId) && str(m.question) ? { type: 'turnStart', requestId: m.requestId, question: m.question } : undefined;
    case 'context': {
      const s = m.summary as Record<string, unknown> | undefined;
      const ok = str(m.requestId) && s && ['files', 'tokens', 'outlined', 'excluded', 'redactions'].every((k) => typeof s[k] === 'number');
      return ok ? { type: 'context', requestId: m.requestId as string, summary: s as unknown as ContextSummary } : undefined;
    }
    case 'reasoningDelta':
    case 'contentDelta':
      return str(m.requestId) && str(m.text) ? { type: m.type, requestId: m.requestId, text: m.text } : undefined;
    case 'end':
      return str(m.requestId) && ['complete', 'interrupted', 'error', 'cancelled'].includes(m.outcome as string)
        ? { type: 'end', requestId: m.requestId, outcome: m.outcome as Outcome, ...(str(m.message) ? { message: m.message } : {}) }
        : undefined;
    case 'clear':
      return { type: 'clear' };
    default:
      return undefined;
  }
}
