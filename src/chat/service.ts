// The conversations of one workspace, for the UI: start a new one with the current settings, open,
// list, delete and export saved ones. Each conversation is a ChatSession (session.ts).
import { exportMarkdown } from './exportMarkdown';
import { HistoryStore, loadConversation, type ConversationInfo } from './history';
import { ChatSession, newConversationId } from './session';
import type { SessionPorts } from './sessionTypes';
import type { RequestParams } from '../llm/types';

export class ChatService {
  /**
   * @param ports read when a conversation starts or opens (settings such as prices apply from then on)
   * @param params the current settings: a new conversation fixes them for its lifetime
   */
  constructor(
    private readonly ports: () => SessionPorts,
    readonly history: HistoryStore,
    private readonly params: () => RequestParams,
  ) {}

  /**
   * A new conversation with the current settings, or some overridden (e.g. the fast model for one command); saved from
   * its first question on.
   */
  start(overrides: Partial<RequestParams> = {}): ChatSession {
    const ports = this.sessionPorts();
    const id = newConversationId((ports.clock ?? Date.now)());
    return ChatSession.create(ports, this.history.log(id), { ...this.params(), ...overrides }, id);
  }

  /** A saved conversation; `warnings` lists damaged lines that were skipped. */
  open(id: string): { session: ChatSession; warnings: string[] } {
    if (!this.history.exists(id)) throw new Error(`No saved conversation ${id}.`);
    return ChatSession.open(this.sessionPorts(), this.history.log(id));
  }

  /** The ports, with the history's image store (images are kept beside the conversations). */
  private sessionPorts(): SessionPorts {
    return { ...this.ports(), images: this.history.images };
  }

  /** Saved conversations, most recent first. */
  list(): ConversationInfo[] {
    return this.history.list();
  }

  /** Deletes a saved conversation; false when there was none. */
  delete(id: string): boolean {
    return this.history.delete(id);
  }

  /** A saved conversation as Markdown, its images inside it (exportMarkdown.ts). */
  exportMarkdown(id: string): string {
    if (!this.history.exists(id)) throw new Error(`No saved conversation ${id}.`);
    return exportMarkdown(loadConversation(this.history.log(id)).state, this.history.images);
  }
}
