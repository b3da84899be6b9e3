// The port through which one turn (turnRun.ts, agentTurn.ts, turnEnd.ts, turnImages.ts) reaches the
// session it runs in: its ports, its clock, its state and its history. The session implements it.
import type { ImageRef } from '../protocol/images';
import type { ConversationState, HistoryEvent } from './conversation';
import type { ImageUrls } from './prompt';
import type { SessionPorts } from './sessionTypes';

/** The session a turn runs in: its ports, its state, and its history. */
export interface TurnHost {
  readonly ports: SessionPorts;
  readonly clock: () => number;
  /** The conversation as it stands (the log's replay; a turn changes it through `write`, and names a new one). */
  state(): ConversationState;
  /** Nothing is written yet: the conversation is named after its first question. */
  isNew(): boolean;
  /** Asked before a new conversation's first request: its model's window (requestPlan.ts `fitWindow`). */
  fitModelWindow(): Promise<void>;
  /** Appends an event to the history and applies it to the state. */
  write(e: HistoryEvent): void;
  /** The same while an answer streams: a failed write is logged, not thrown. */
  writeWhileStreaming(e: HistoryEvent): void;
  /** The `data:` URL of an image of the conversation or of the question being asked. */
  imageUrl: ImageUrls;
  /** Stores the bytes of the question's new images (before the question that names them is written). */
  storeImages(refs: readonly ImageRef[]): void;
  /** A conversation not saved yet starts on `model` instead (a vision model chosen for its first question). */
  startOn(model: string): void;
}
