// The session API's types: the ports a ChatSession is built from, the options of a question, and
// the events it emits while answering (the UI and the CLI's NDJSON are thin maps of these).
import type { EditorFocus } from '../context/types';
import type { ClientOptions } from '../llm/client';
import type { CostBreakdown, CostEstimate, PriceTable } from '../llm/cost';
import type { ChatMessage, ChatResult, LlmError, Outcome, RequestParams, StreamHandlers, Usage } from '../llm/types';
import type { Mention } from '../protocol/messages';
import type { Logger } from '../shared/log';
import type { CachePlan, RebaseReason, WarmupVerdict } from './cachePlan';
import type { ToolDetail } from './agent/toolResult';
import type { ApprovalPolicy, FrontEndPort, ToolSettings, WorkspacePort } from './agent/ports';
import type { ContextSource } from './contextSource';
import type { ShownQuestion } from './conversation';
import type { ImageStore, NewImage } from './imageStore';
import type { ImagesChoice, ImagesOffer } from './questionImages';

/** The streaming client (src/llm/client.ts `streamChat`), injected so tests and benchmarks can wrap it. */
export type StreamChatFn = (
  options: ClientOptions,
  messages: ChatMessage[],
  params: RequestParams,
  handlers: StreamHandlers,
  signal?: AbortSignal,
) => Promise<ChatResult>;

export interface SessionPorts {
  /** Endpoint and key, read when a request is sent (the key may change meanwhile). */
  client: () => ClientOptions | Promise<ClientOptions>;
  streamChat: StreamChatFn;
  context: ContextSource;
  plan: CachePlan;
  /** Milliseconds since the epoch; default Date.now. */
  clock?: () => number;
  log?: Logger;
  /** Prices: the defaults merged with the user's override (`mergePrices`). */
  prices?: PriceTable;
  /** The user's repository budget (tokens); empty: the window minus output and a conversation reserve. */
  contextBudgetTokens?: number | null;
  /**
   * The context window of `model` (tokens): the user's setting, else what the endpoint reports;
   * undefined for DeepSeek V4's. Asked once, before a new conversation's first request, which then
   * keeps it (requestPlan.ts `fitWindow`).
   */
  modelWindow?: (model: string) => Promise<number | undefined> | number | undefined;
  /**
   * A too-long error stated `model`'s window, smaller than the conversation assumed: the conversation now uses it
   * (`modelWindow` may answer it next time).
   */
  windowStated?: (model: string, window: number) => void;
  /** Ask (AskOptions.confirm) before sending when the expected cost exceeds this (USD). */
  confirmAboveUsd?: number;
  /** Try cache warm-ups for one-shot questions (default true; the plan still needs them to pay). */
  warmup?: boolean;
  /** Where the bytes of the questions' images are kept (default: in memory, for this session only). */
  images?: ImageStore;
  /** Whether the endpoint reports that `model` reads images (its model list); undefined when it says nothing. */
  modelVision?: (model: string) => Promise<boolean | undefined> | boolean | undefined;
  /**
   * The model offered for a question with images when the conversation's cannot read them (`deepseekRepo.fastModel`).
   */
  visionModel?: string;
}

/** What acting needs from the front end: the ports, who decides, the limits. */
export interface AgentOptions {
  workspace: WorkspacePort;
  frontEnd: FrontEndPort;
  policy: ApprovalPolicy;
  settings?: Partial<ToolSettings>;
  /** Requests one turn may make (the setting; default 25). */
  maxSteps?: number;
  /** Asked before the next request once the turn spent more than SessionPorts.confirmAboveUsd (USD). */
  confirmSpend?: (spentUsd: number) => Promise<boolean>;
}

export interface AskOptions {
  /** Where the user is: ranks files when the repository does not fit, and pins folders (new conversations). */
  focus?: EditorFocus;
  /** Where the user's editor is (prompt.ts `editorNote`): sent after the question, kept with it. */
  editor?: string;
  /**
   * What the question points at with `@`, kept with it (history, regenerate). The caller pins their paths in
   * `focus` (mentions.ts `focusWithMentions`): the session does not resolve paths.
   */
  mentions?: Mention[];
  /** What the user asked for, shown instead of the question (an editor command's prompt); kept with it. */
  shown?: ShownQuestion;
  signal?: AbortSignal;
  /** Asked when the estimate exceeds SessionPorts.confirmAboveUsd; without it such a question is not sent. */
  confirm?: (estimate: CostEstimate) => Promise<boolean>;
  /**
   * The question's images (checked by their bytes and held to the limits; an image that is not one
   * throws ImageError before anything is sent). For editAndResend: replaces the turn's images
   * (absent: the turn keeps its own).
   */
  images?: NewImage[];
  /**
   * Asked when the conversation's model cannot read the question's images (known before sending, or
   * refused by the server): ask with the offered vision model, without the images, or not at all.
   * Without it such a question is not sent (error `images_unsupported`).
   */
  chooseForImages?: (offer: ImagesOffer) => Promise<ImagesChoice>;
  /**
   * Act: run the tools the model calls (a conversation created with `tools` in its parameters).
   * Without it, such a conversation answers only (`tool_choice: none`).
   */
  agent?: AgentOptions;
}

/** What is about to be sent, emitted before anything leaves the machine. */
export interface ContextInfo {
  turn: number;
  /** Files in the repository block (whole or outlined), and the counts behind them. */
  files: number;
  outlined: number;
  excluded: number;
  redactions: number;
  /** Estimated tokens of the repository block. */
  repositoryTokens: number;
  /** Files that changed since the prefix was read and are appended now. */
  update?: {
    changed: string[];
    added: string[];
    removed: string[];
    tokens: number;
    /** Files appended whole for this question (the prefix had them outlined or left out), and why. */
    joined?: { path: string; was: 'outlined' | 'left out'; reasons: string[] }[];
  };
  /** Set when a fresh pack replaced the reusable prefix, and why. */
  rebased?: RebaseReason;
  /** A warm-up request ending right after the repository goes first (see prompt.ts). */
  warmup: boolean;
  /** The conversation's context window (tokens), when its model's is not DeepSeek V4's. */
  windowTokens?: number;
  /** The images the request carries (earlier turns' and the question's), each estimated at ~384 tokens. */
  images?: { count: number; tokens: number };
  estimate: CostEstimate;
}

export interface TurnEnd {
  turn: number;
  outcome: Outcome;
  finishReason?: string;
  /** The answer is complete as far as it came but the output limit cut it: that limit (max_tokens, tokens). */
  outputLimitTokens?: number;
  error?: LlmError;
  /** The question was not sent: the user declined the cost, or it does not fit the window. */
  notSent?: boolean;
  /** Said about an answer that ended normally but may have seen only part of the prompt (see `promptCutWarning`). */
  warning?: string;
  /** USD spent on this turn (warm-up included). */
  turnCostUsd?: number;
  /** USD spent by the whole conversation. */
  conversationCostUsd: number;
  /** Requests of an agent turn that ended with tool calls (tool steps run). */
  steps?: number;
  /** Why an agent turn ended before an answer: the user's Stop, the step limit, or the spend the user declined. */
  stopped?: 'user' | 'step-limit' | 'cost';
}

export type SessionEvent =
  | ({ type: 'context' } & ContextInfo)
  | { type: 'warmup'; usage?: Usage; costUsd?: number; verdict: WarmupVerdict['state'] }
  | { type: 'reasoning'; text: string }
  | { type: 'content'; text: string }
  | { type: 'retry'; attempt: number; delayMs: number; error: LlmError }
  /**
   * The server refused the request as too long for a window it stated: the question is packed for that window and asked
   * again (a new `context` event follows).
   */
  | { type: 'window'; windowTokens: number; previousTokens: number; message: string }
  /**
   * Billed usage (tokens) and its cost; `model`: the model the server says answered (`response.model`:
   * an alias resolved, a router's choice, a local path). `turn`: the turn so far as its history has
   * it (usage summed over its requests, an interrupted answer's and its continuation's; cost with
   * its warm-up): the figures a view shows for the turn, live and reopened alike.
   */
  | {
      type: 'usage';
      usage: Usage;
      cost?: CostBreakdown;
      model?: string;
      /** An agent turn's running cost so far (USD). */
      turnCostUsd?: number;
      turn?: { usage: Usage; costUsd?: number; warmupUsd?: number };
    }
  /** An agent turn sends its next request: `step` is its number in the turn (the question's request is 1). */
  | { type: 'step'; turn: number; step: number }
  /** A tool call starts running; `arguments` as the model sent them. */
  | { type: 'tool_call'; turn: number; id: string; name: string; arguments: string }
  /** What a tool call gave: `summary` in one line, `detail` for the chat's step view. */
  | {
      type: 'tool_result';
      turn: number;
      id: string;
      name: string;
      /** The call's arguments, as the model sent them. */
      arguments: string;
      ok: boolean;
      summary: string;
      detail: ToolDetail;
    }
  | ({ type: 'end' } & TurnEnd);

export type SessionListener = (event: SessionEvent) => void;
