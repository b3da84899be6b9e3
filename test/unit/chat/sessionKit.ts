// The rig the ChatSession tests share: a session over the real streaming client and the fake DeepSeek
// server billing with V4's cache-unit rules, a synthetic repository, and an event collector.
import { CachePlan } from '../../../src/chat/cachePlan';
import { MemoryConversationLog } from '../../../src/chat/history';
import { MemoryPlanStore } from '../../../src/chat/planStore';
import { ChatSession } from '../../../src/chat/session';
import type { SessionEvent, SessionPorts } from '../../../src/chat/sessionTypes';
import { streamChat } from '../../../src/llm/client';
import type { RequestParams } from '../../../src/llm/types';
import { CacheModel, cacheAwareReply, type CacheModelOptions } from '../../fake-server/cacheModel';
import { startFakeDeepSeek, type ChatBody, type FakeServer, type Reply } from '../../fake-server/server';
import { MemoryRepo, syntheticRepo } from '../../fakes/memoryRepo';

export const PARAMS: RequestParams = {
  model: 'deepseek-v4-pro',
  maxTokens: 8192,
  thinking: true,
  reasoningEffort: 'high',
};

export interface Rig {
  server: FakeServer;
  cache: CacheModel;
  repo: MemoryRepo;
  store: MemoryPlanStore;
  plan: CachePlan;
  ports: SessionPorts;
  bodies(): ChatBody[];
  session(log?: MemoryConversationLog, params?: RequestParams): ChatSession;
}

export const rigs: Rig[] = [];
export async function rig(
  options: {
    cache?: CacheModelOptions;
    scenario?: (b: ChatBody, i: number) => Reply;
    ports?: Partial<SessionPorts>;
    files?: Record<string, string>;
  } = {},
): Promise<Rig> {
  const cache = new CacheModel(options.cache);
  const server = await startFakeDeepSeek({
    billing: (b, o) => cache.bill(b, o),
    scenario: options.scenario ?? cacheAwareReply,
  });
  const repo = new MemoryRepo(options.files ?? syntheticRepo(20, 60_000));
  const store = new MemoryPlanStore();
  const now = Date.UTC(2026, 10, 4, 12); // a Wednesday, off-peak
  const plan = new CachePlan(store, () => now);
  const ports: SessionPorts = {
    client: () => ({ baseUrl: server.url, apiKey: 'sk-test-key-123' }),
    streamChat,
    context: repo,
    plan,
    clock: () => now,
    ...options.ports,
  };
  const r: Rig = {
    server,
    cache,
    repo,
    store,
    plan,
    ports,
    bodies: () => server.chatRequests().map((q) => q.body!),
    session: (log = new MemoryConversationLog(), params = PARAMS) => ChatSession.create(ports, log, params),
  };
  rigs.push(r);
  return r;
}

export function collect(): {
  events: SessionEvent[];
  on: (e: SessionEvent) => void;
  of: <T extends SessionEvent['type']>(t: T) => Extract<SessionEvent, { type: T }>[];
} {
  const events: SessionEvent[] = [];
  return { events, on: (e) => events.push(e), of: (t) => events.filter((e) => e.type === t) as never };
}

export const hitRatio = (c: CacheModel, from = 0) => {
  const b = c.billed.slice(from);
  return b.reduce((n, x) => n + x.hitTokens, 0) / b.reduce((n, x) => n + x.promptTokens, 0);
};

/** Closes the servers of the rigs each test of the calling describe made, after the test. */
export function closeRigsAfterEach(): void {
  afterEach(async () => {
    while (rigs.length) await rigs.pop()!.server.close();
  });
}
