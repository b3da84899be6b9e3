// The fixed instructions and the message layout of every request, designed for DeepSeek's prefix
// cache. The repository is its own user message, answered by a fixed acknowledgement:
//   system · user(repository) · assistant(ack) · [user(updated files) · assistant(ack)] · user(q1) · assistant(a1) · …
//   · user(q)
// so the bytes before the first question never change, a follow-up only appends, files changed
// mid-conversation are appended as their own pair, and a request can END exactly at the repository
// boundary (system · user(repository)): that is the cache warm-up, and because the next message of
// every real request is an assistant one, the warm-up's stored input unit is a prefix of them all.
import { countTokens } from '../context/tokens';
import { IMAGE_TOKENS_ESTIMATE } from '../llm/capabilities';
import type { ChatMessage, ContentPart, ToolCall } from '../llm/types';
import type { ImageRef } from '../protocol/images';

export const SYSTEM_PROMPT = [
  'You are DeepSeek Repo, an expert software engineer answering questions about the repository given below.',
  'The first user message is the whole repository (or its most relevant files plus outlines of the rest) ' +
    'inside <repository>.',
  'Later user messages may carry <updated_files>: those versions replace the earlier ones, and removed paths ' +
    'no longer exist.',
  'Ground every answer in that code. Cite files as `path/to/file.ext:line` so the user can click them.',
  'When you propose a change, name the target file in the fence info, e.g. ```ts path=src/a.ts. Give a new ' +
    'file, or one mostly rewritten, whole.',
  'To change part of an existing file, put only edits in its block, in file order, each written as',
  '<<<<<<< SEARCH',
  '(the current lines, exactly, enough of them to be unique)',
  '=======',
  '(the lines that replace them)',
  '>>>>>>> REPLACE',
  'A question may end with <editor>: the file and lines the user has in front of them; "this" or "here" in ' +
    'the question usually means that code.',
  'If the repository does not contain what is needed to answer, say so instead of guessing.',
].join('\n');

export const REPOSITORY_ACK = 'I have read the repository. What would you like to know?';
export const UPDATE_ACK = 'Noted: I will use the updated files.';
export const CONTINUE_PROMPT =
  'Your previous answer was cut off. Continue it exactly where it stopped, without repeating anything.';

/**
 * Where the user's editor is, as a chat question carries it: the file's label in the repository
 * block, and the selected lines or else the cursor's line (1-based).
 */
export function editorNote(
  path: string,
  cursorLine: number,
  selection?: { startLine: number; endLine: number },
): string {
  if (!selection) return `${path}, cursor on line ${cursorLine}`;
  return selection.startLine === selection.endLine
    ? `${path}, line ${selection.startLine} selected`
    : `${path}, lines ${selection.startLine}-${selection.endLine} selected`;
}

/** A question as it is sent: with the editor note (`editorNote`) it was asked with, if any. */
export const questionAsSent = (question: string, editor?: string): string =>
  editor ? `${question}\n\n<editor>${editor}</editor>` : question;

/** Tokens a message adds around its content (role marker and end marker). */
export const MESSAGE_OVERHEAD_TOKENS = 2;

/**
 * One request of an agent turn that ended with tool calls: its text (usually empty) and thinking,
 * the calls exactly as received, and one result per call, in the calls' order.
 */
export interface SentStep {
  content: string;
  reasoning: string;
  toolCalls: ToolCall[];
  toolResults: { toolCallId: string; content: string }[];
}

/** A past turn as it is sent back: the question (and its images), the tool steps of an agent turn, and the answer. */
export interface SentTurn {
  question: string;
  /** Re-sent byte for byte with their question on every later request, so the cached prefix stays the same. */
  images?: ImageRef[];
  answer: string;
  steps?: SentStep[];
}

/** The parts of a request, in order. */
export type LayoutItem =
  | { kind: 'repository'; text: string; tokens: number }
  | { kind: 'update'; text: string; tokens: number }
  | { kind: 'turn'; turn: SentTurn }
  | { kind: 'question'; text: string; images?: ImageRef[] }
  /** The last turn's answer was cut: send it as it stands (after the turn's tool steps) and ask to go on. */
  | { kind: 'continue'; question: string; images?: ImageRef[]; steps?: SentStep[]; partial: string }
  /** The next request of an agent turn: its question and the tool steps so far (last in a request). */
  | { kind: 'agent'; question: string; images?: ImageRef[]; steps: SentStep[] };

/**
 * The `data:` URL of an image of the conversation (its stored bytes as base64), the same string for
 * the same image on every request; throws a clear error when the bytes are gone.
 */
export type ImageUrls = (ref: ImageRef) => string;

/** A message of a request with its estimated size. `repository` marks the repository message. */
export interface PlannedMessage {
  message: ChatMessage;
  /** Estimated tokens, overhead included. */
  tokens: number;
  repository?: boolean;
  /** The sha256 of each image the message carries, in order (the cache ledger's keys use them, not the base64). */
  images?: string[];
}

/** Estimated tokens of a message's content (tokens): its text, and IMAGE_TOKENS_ESTIMATE for each image. */
export function contentTokens(content: string | ContentPart[]): number {
  if (typeof content === 'string') return countTokens(content);
  return content.reduce((n, p) => n + (p.type === 'text' ? countTokens(p.text) : IMAGE_TOKENS_ESTIMATE), 0);
}

/** A message with its estimated tokens (content counted unless given). */
export const planned = (message: ChatMessage, contentTokens_?: number, repository?: boolean): PlannedMessage => ({
  message,
  tokens: (contentTokens_ ?? contentTokens(message.content)) + MESSAGE_OVERHEAD_TOKENS,
  ...(repository ? { repository } : {}),
});

/**
 * A question's user message: its text alone, or with images the text then one `image_url` part per
 * image (a `data:` URL), as OpenAI's content parts (DeepSeek's vision models read them).
 */
export function questionMessage(
  text: string,
  images: ImageRef[] | undefined,
  urls: ImageUrls | undefined,
): PlannedMessage {
  if (!images?.length) return planned({ role: 'user', content: text });
  if (!urls) throw new Error('a question with images was laid out without its image store');
  const content: ContentPart[] = [
    { type: 'text', text },
    ...images.map((r): ContentPart => ({ type: 'image_url', image_url: { url: urls(r) } })),
  ];
  return { ...planned({ role: 'user', content }), images: images.map((r) => r.sha256) };
}

/** What the model is told for a call whose result is missing (the turn stopped between a call and its result). */
export const MISSING_RESULT = 'Not run: the turn was interrupted before this call ran.';

/**
 * The messages of a tool step: the assistant message with `content` a string (never null), its
 * reasoning (DeepSeek V4 requires it back on every later request, else 400) and its calls as
 * received, then one tool message per call in order (a call without one is a 400 too).
 */
export function stepMessages(step: SentStep): PlannedMessage[] {
  const msg: ChatMessage = {
    role: 'assistant',
    content: step.content,
    reasoning_content: step.reasoning,
    tool_calls: step.toolCalls,
  };
  const out = [
    planned(msg, countTokens(step.content) + countTokens(step.reasoning) + countTokens(JSON.stringify(step.toolCalls))),
  ];
  for (const call of step.toolCalls) {
    const content = step.toolResults.find((r) => r.toolCallId === call.id)?.content ?? MISSING_RESULT;
    out.push(planned({ role: 'tool', content, tool_call_id: call.id }));
  }
  return out;
}

/**
 * The messages of a past turn after its question: its tool steps, then its answer (without reasoning: DeepSeek ignores
 * it there).
 */
function turnMessages(t: SentTurn): PlannedMessage[] {
  const out = (t.steps ?? []).flatMap(stepMessages);
  if (t.answer || !out.length) out.push(planned({ role: 'assistant', content: t.answer }));
  return out;
}

/** The messages of one request for `items` (system prompt first); `images` gives the `data:` URL of each image. */
export function renderLayout(items: LayoutItem[], images?: ImageUrls): PlannedMessage[] {
  const out: PlannedMessage[] = [planned({ role: 'system', content: SYSTEM_PROMPT })];
  for (const item of items) {
    switch (item.kind) {
      case 'repository':
        out.push(
          planned({ role: 'user', content: item.text }, item.tokens, true),
          planned({ role: 'assistant', content: REPOSITORY_ACK }),
        );
        break;
      case 'update':
        // The section introduces itself (src/context/place/render.ts renderUpdate).
        out.push(
          planned({ role: 'user', content: item.text }, item.tokens),
          planned({ role: 'assistant', content: UPDATE_ACK }),
        );
        break;
      case 'turn':
        // A turn that produced nothing (an error before the first token) is left out: nothing to build on.
        if (!item.turn.answer && !item.turn.steps?.length) break;
        out.push(questionMessage(item.turn.question, item.turn.images, images), ...turnMessages(item.turn));
        break;
      case 'agent':
        // The turn being answered: its question and the tool steps so far; the model goes on from them.
        out.push(questionMessage(item.question, item.images, images), ...item.steps.flatMap(stepMessages));
        break;
      case 'question':
        out.push(questionMessage(item.text, item.images, images));
        break;
      case 'continue':
        out.push(
          questionMessage(item.question, item.images, images),
          ...(item.steps ?? []).flatMap(stepMessages),
          planned({ role: 'assistant', content: item.partial }),
          planned({ role: 'user', content: CONTINUE_PROMPT }),
        );
        break;
    }
  }
  return out;
}

/**
 * The number of leading messages up to and including the repository message (0 if none): where a
 * warm-up request ends. Not after an updated-files section: that boundary changes with every edit,
 * while the repository's is shared by every conversation on the same base.
 */
export function repositoryBoundary(messages: PlannedMessage[]): number {
  return messages.findIndex((m) => m.repository) + 1;
}

/** Estimated input tokens of `messages` (tokens), the generation prompt included. */
export function promptTokens(messages: PlannedMessage[]): number {
  return messages.reduce((n, m) => n + m.tokens, 1);
}

/** Just the wire messages. */
export const wireMessages = (messages: PlannedMessage[]): ChatMessage[] => messages.map((m) => m.message);
