// A chat view with a fake webview and fake editor ports, over the real SessionBackend, ChatService
// and ChatSession against the fake DeepSeek server: what the unit tests of the view's parts drive.
// Every message the fake webview receives is checked with the webview's own validator.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CachePlan } from '../../../src/chat/cachePlan';
import { HistoryStore } from '../../../src/chat/history';
import { MemoryPlanStore } from '../../../src/chat/planStore';
import { ChatService } from '../../../src/chat/service';
import type { ImagesChoice, ImagesOffer } from '../../../src/chat/questionImages';
import type { ChatSession } from '../../../src/chat/session';
import { streamChat } from '../../../src/llm/client';
import type { ListedModels, RequestParams } from '../../../src/llm/types';
import { parseHostMessage, type ChangeSetSummary, type HostToWebview } from '../../../src/protocol/messages';
import type { Logger } from '../../../src/shared/log';
import { ChatView } from '../../../src/ui/chatView';
import { MentionCompleter, type FoundSymbol } from '../../../src/ui/mentionCompleter';
import { SymbolIndex } from '../../../src/context/symbolIndex';
import { NO_SYMBOLS } from '../../../src/context/place/definitions';
import { termStats } from '../../../src/context/place/terms';
import { SessionBackend } from '../../../src/ui/sessionBackend';
import type { DraftImageStore } from '../../../src/chat/draftImages';
import type { Choice } from '../../../src/ui/viewChoice';
import type { Workbench } from '../../../src/ui/viewPorts';
import type { EditorPlace, HostState } from '../../../src/ui/viewSync';
import { startFakeDeepSeek, type FakeServer, type Scenario } from '../../fake-server/server';
import type { AgentOptions } from '../../../src/chat/sessionTypes';
import { MemoryRepo } from '../../fakes/memoryRepo';

export const defaults: RequestParams = {
  model: 'deepseek-v4-pro',
  maxTokens: 4096,
  thinking: true,
  reasoningEffort: 'high',
};

export interface KitOptions {
  /** Sessions shared between views (default: a new map). */
  open?: Map<string, ChatSession>;
  /** Shares another kit's server and history folder (a second view of the same window). */
  like?: Kit;
  /** The workspace's files (default: two small ones, too small for a cache warm-up). */
  files?: Record<string, string>;
  /** Questions estimated above this (USD) are confirmed first (`Kit.costAnswers`). */
  confirmAboveUsd?: number;
  /** The fake server's answers (default: its plain answer). */
  scenario?: Scenario;
  /** The agent's options while the view is in act mode (the host's AgentMode). */
  agent?: (repo: MemoryRepo) => AgentOptions;
  /** Where the composer's waiting images outlive a reload (default: memory only). */
  drafts?: DraftImageStore;
}

export interface Kit {
  /** The pickers' choices the view asked the host to keep, in order. */
  choices: Choice[];
  view: ChatView;
  /** The workspace the conversations pack (its `requests` say what each pack was asked). */
  repo: MemoryRepo;
  server: FakeServer;
  dir: string;
  open: Map<string, ChatSession>;
  /** Every message the fake webview received, in order. */
  posted: HostToWebview[];
  /** Notifications shown, as `info: …`, `warn: …`, `error: …`, `confirm: …`. */
  shown: string[];
  /** Answers of the next modal questions (default: the action is chosen). */
  confirmAnswers: boolean[];
  /** What the user was offered when the model could not read a question's images, and the answers to give. */
  imageOffers: ImagesOffer[];
  imageChoices: ImagesChoice[];
  /** Answers of the next cost questions (default: send). */
  costAnswers: boolean[];
  /** Calls made on the workbench, as [name, ...args]. */
  calls: unknown[][];
  /** Set: every workbench call fails with it. */
  failing: Error | undefined;
  /** The states the workbench's Apply reports, in order (a change set under review, then decided). */
  applyUpdates: ChangeSetSummary[];
  logs: string[];
  /** What the host says of itself (the config), editable by a test. */
  host: HostState;
  listed: ListedModels;
  editor: EditorPlace | undefined;
  canSend: boolean;
  /** What the language servers find for `@` queries (undefined: none answers, the search fails). */
  symbols: FoundSymbol[] | undefined;
  /** Resolves when the `@` completion's own symbol index is built (the first query starts it). */
  symbolsReady(): Promise<void>;
  costs: { usage: unknown; total: number | undefined }[];
  markdown: string[];
  /** The composer's mode as the host remembers it (act or answer only). */
  act: boolean;
  /** What each Undo of a turn asked the host to restore. */
  undone: unknown[][];
  /** Resolves with the first message since the last `take` (already posted or yet to come) that `pred` accepts. */
  next(pred: (m: HostToWebview) => boolean): Promise<HostToWebview>;
  /** The messages posted since the last `take`. */
  take(): HostToWebview[];
  close(): Promise<void>;
}

export async function chatViewKit(options: KitOptions = {}): Promise<Kit> {
  const server =
    options.like?.server ?? (await startFakeDeepSeek(options.scenario ? { scenario: options.scenario } : {}));
  const dir = options.like?.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'dsr-chatview-'));
  const open = options.open ?? options.like?.open ?? new Map<string, ChatSession>();
  const repo = new MemoryRepo(options.files ?? { 'src/a.ts': 'export const a = 1;\n', 'README.md': '# demo\n' });
  const service = new ChatService(
    () => ({
      client: () => ({ baseUrl: server.url, apiKey: 'sk-test' }),
      streamChat,
      context: repo,
      plan: new CachePlan(new MemoryPlanStore(), Date.now),
      visionModel: 'deepseek-flash',
      ...(options.confirmAboveUsd !== undefined ? { confirmAboveUsd: options.confirmAboveUsd } : {}),
    }),
    new HistoryStore(dir),
    () => defaults,
  );
  const backend = new SessionBackend({
    service: () => service,
    focus: () => ({}),
    roots: () => [{ name: 'mem', path: '/mem' }],
    confirm: async () => kit.costAnswers.shift() ?? true,
    chooseForImages: async (offer) => (kit.imageOffers.push(offer), kit.imageChoices.shift()),
    defaults: () => defaults,
    open,
    ...(options.agent ? { agent: () => (kit.act ? options.agent!(repo) : undefined) } : {}),
    ...(options.drafts ? { drafts: options.drafts } : {}),
  });
  const waiters: { pred: (m: HostToWebview) => boolean; resolve: (m: HostToWebview) => void }[] = [];
  let taken = 0;
  const log = (level: string) => (m: string) => void kit.logs.push(`${level}: ${m}`);
  const logger: Logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
  const record =
    (name: string) =>
    async (...args: unknown[]) => {
      if (kit.failing) throw kit.failing;
      kit.calls.push([name, ...args]);
    };
  const workbench: Workbench = {
    command: record('command'),
    openExternal: record('openExternal'),
    openFile: record('openFile'),
    copy: record('copy'),
    insertAtCursor: record('insertAtCursor'),
    apply: async (code, path, onUpdate) => {
      await record('apply')(code, path);
      for (const u of kit.applyUpdates) onUpdate(u);
    },
    decideChanges: record('decideChanges'),
    undoChanges: record('undoChanges'),
    showChanges: record('showChanges'),
    newFile: record('newFile'),
  };
  const kit: Kit = {
    view: undefined as unknown as ChatView,
    repo,
    server,
    dir,
    open,
    posted: [],
    shown: [],
    confirmAnswers: [],
    imageOffers: [],
    imageChoices: [],
    costAnswers: [],
    calls: [],
    applyUpdates: [],
    failing: undefined,
    logs: [],
    host: {
      hasKey: true,
      trusted: true,
      hasWorkspace: true,
      configuredModels: ['deepseek-v4-pro', 'deepseek-flash'],
      windowSet: false,
    },
    listed: { models: [], windows: new Map() },
    editor: undefined,
    canSend: true,
    symbols: [],
    symbolsReady: () => completer.symbolsReady(),
    costs: [],
    markdown: [],
    act: false,
    undone: [],
    choices: [],
    next: (pred) =>
      new Promise((resolve) => {
        const seen = kit.posted.slice(taken).find(pred);
        if (seen) resolve(seen);
        else waiters.push({ pred, resolve });
      }),
    take: () => kit.posted.slice(taken, (taken = kit.posted.length)),
    close: async () => {
      kit.view.runner.stop();
      if (!options.like) {
        await server.close();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
  const symbolIndex = new SymbolIndex();
  const completer = new MentionCompleter({
    listFiles: async () => [...repo.files.keys()],
    roots: () => [{ name: 'mem', path: '/mem' }],
    // Our own index over the repository's files, as the engine makes it (definitions from the term statistics).
    symbolIndex: async () => {
      symbolIndex.update(
        [...repo.files].map(([label, text]) => [label, termStats(text, label).symbols ?? NO_SYMBOLS] as const),
      );
      return symbolIndex;
    },
    symbols: async (q) => {
      if (!kit.symbols) throw new Error('no language server answered in time');
      return kit.symbols.filter((s) => s.name.toLowerCase().includes(q.toLowerCase()));
    },
  });
  kit.view = new ChatView({
    webview: {
      postMessage: (m: HostToWebview) => {
        assert.deepEqual(parseHostMessage(m), m, `the webview would reject ${JSON.stringify(m)}`);
        kit.posted.push(m);
        for (const w of waiters.splice(0))
          if (w.pred(m)) w.resolve(m);
          else waiters.push(w);
        return Promise.resolve(true);
      },
    },
    surface: 'panel',
    backend,
    log: logger,
    dialogs: {
      info: (m) => void kit.shown.push(`info: ${m}`),
      warn: (m) => void kit.shown.push(`warn: ${m}`),
      error: (m) => void kit.shown.push(`error: ${m}`),
      confirm: async (m) => (kit.shown.push(`confirm: ${m}`), kit.confirmAnswers.shift() ?? true),
    },
    workbench,
    canSend: async () => kit.canSend,
    reportCost: (usage, total) => void kit.costs.push({ usage, total }),
    hostState: async () => kit.host,
    models: async () => kit.listed,
    editorPlace: () => kit.editor,
    showMarkdown: async (md) => void kit.markdown.push(md),
    mentions: (query, early) => completer.complete(query, early ? { early } : {}),
    options: { model: 'deepseek-v4-pro', effort: 'high', ...(options.agent ? { act: false } : {}) },
    // A dropped file's URI is a path in the test's folder (file:///… → the path).
    readFile: async (uri) => {
      const file = fileURLToPath(uri);
      const size = fs.statSync(file).size;
      return { name: path.basename(file), size, read: async () => new Uint8Array(fs.readFileSync(file)) };
    },
    ...(options.agent ? { saveMode: (act: boolean) => void (kit.act = act) } : {}),
    saveChoice: (choice) => void kit.choices.push(choice),
    undoFiles: async (steps) => (kit.undone.push(steps), `restored ${steps.length}`),
  });
  return kit;
}

/** The `type`s of `messages`, in order. */
export const typesOf = (messages: HostToWebview[]): string[] => messages.map((m) => m.type);

/**
 * Gives each test of the calling describe a new kit whose view is ready (what it posted on `ready` taken),
 * and closes it after the test: `let kit: Kit; readyKitEach((k) => (kit = k));`. `options` is read for
 * each test.
 */
export function readyKitEach(use: (kit: Kit) => void, options: () => KitOptions = () => ({})): void {
  let kit: Kit | undefined;
  beforeEach(async () => {
    kit = await chatViewKit(options());
    await kit.view.receive({ type: 'ready' });
    kit.take();
    use(kit);
  });
  afterEach(() => kit?.close());
}
