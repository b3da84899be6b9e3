// The fixed instructions and the message layout of a request. The repository block comes first and
// byte-identical on every request about the same repository state (it is the cache prefix); the
// conversation is appended after it and never rewritten.
import type { ChatMessage } from '../llm/types';

export const SYSTEM_PROMPT = [
  'You are DeepSeek Repo, an expert software engineer answering questions about the repository given below.',
  'The user message starts with the whole repository (or its most relevant files plus outlines of the rest) inside <repository>.',
  'Ground every answer in that code. Cite files as `path/to/file.ext:line` so the user can click them.',
  'When you propose a change, give complete code blocks and name the target file in the fence info, e.g. ```ts path=src/a.ts.',
  'If the repository does not contain what is needed to answer, say so instead of guessing.',
].join('\n');

export interface PastTurn {
  question: string;
  answer: string;
}

/** The messages of one request: system, repository + first question, then the history, then `question`. */
export function buildMessages(repository: string, history: PastTurn[], question: string): ChatMessage[] {
  const messages: ChatMessage[] = [{ role: 'system', content: SYSTEM_PROMPT }];
  const turns = [...history, { question, answer: undefined as string | undefined }];
  turns.forEach((t, i) => {
    messages.push({ role: 'user', content: i === 0 ? `${repository}\n${t.question}` : t.question });
    if (t.answer !== undefined) messages.push({ role: 'assistant', content: t.answer });
  });
  return messages;
}
