// The rig the chat image tests share: a session over the real client and the fake DeepSeek server (which
// takes images only on vision models and bills them in its cache model), the image fixtures, and readers
// of what was sent.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { CachePlan } from '../../../src/chat/cachePlan';
import { MemoryConversationLog } from '../../../src/chat/history';
import { MemoryImageStore } from '../../../src/chat/imageStore';
import { MemoryPlanStore } from '../../../src/chat/planStore';
import { ChatSession } from '../../../src/chat/session';
import { type SessionEvent, type SessionPorts } from '../../../src/chat/sessionTypes';
import { streamChat } from '../../../src/llm/client';
import type { RequestParams } from '../../../src/llm/types';
import { CacheModel, cacheAwareReply } from '../../fake-server/cacheModel';
import { startFakeDeepSeek, type ChatBody, type FakeServer } from '../../fake-server/server';
import { MemoryRepo, syntheticRepo } from '../../fakes/memoryRepo';
import { REPO } from '../../helpers/paths';

export const FLASH: RequestParams = {
  model: 'deepseek-flash',
  maxTokens: 8192,
  thinking: true,
  reasoningEffort: 'high',
};
export const PRO: RequestParams = { ...FLASH, model: 'deepseek-v4-pro' };
export const fixture = (name: string) => new Uint8Array(fs.readFileSync(path.join(REPO, 'test/fixtures/images', name)));
export const PNG = fixture('shot.png');
export const JPEG = fixture('photo.jpg');
export const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** A structurally whole PNG of about `bytes` bytes: shot.png with a text chunk of filler before its data. */
export function bigPng(bytes: number, seed = 0): Uint8Array {
  const text = Buffer.alloc(Math.max(0, bytes - PNG.length - 12), 0x41 + (seed % 26));
  const chunk = Buffer.alloc(12 + text.length);
  chunk.writeUInt32BE(text.length, 0);
  chunk.write('tEXt', 4, 'latin1');
  text.copy(chunk, 8);
  chunk.writeUInt32BE(zlib.crc32(chunk.subarray(4, 8 + text.length)), 8 + text.length);
  const ihdrEnd = 8 + 12 + 13;
  return new Uint8Array(Buffer.concat([PNG.subarray(0, ihdrEnd), chunk, PNG.subarray(ihdrEnd)]));
}

export interface Rig {
  server: FakeServer;
  cache: CacheModel;
  ports: SessionPorts;
  bodies(): ChatBody[];
  session(params?: RequestParams, log?: MemoryConversationLog): ChatSession;
}

export const servers: FakeServer[] = [];
export async function rig(options: { ports?: Partial<SessionPorts>; visionModels?: string[] } = {}): Promise<Rig> {
  const cache = new CacheModel();
  const server = await startFakeDeepSeek({
    billing: (b, o) => cache.bill(b, o),
    scenario: cacheAwareReply,
    ...(options.visionModels ? { visionModels: options.visionModels } : {}),
  });
  servers.push(server);
  const now = Date.UTC(2026, 10, 4, 12);
  const ports: SessionPorts = {
    client: () => ({ baseUrl: server.url, apiKey: 'sk-test-key-123' }),
    streamChat,
    context: new MemoryRepo(syntheticRepo(12, 30_000)),
    plan: new CachePlan(new MemoryPlanStore(), () => now),
    clock: () => now,
    images: new MemoryImageStore(),
    visionModel: 'deepseek-flash',
    ...options.ports,
  };
  return {
    server,
    cache,
    ports,
    bodies: () => server.chatRequests().map((q) => q.body!),
    session: (params = FLASH, log = new MemoryConversationLog()) => ChatSession.create(ports, log, params),
  };
}

export const events = () => {
  const all: SessionEvent[] = [];
  return { all, on: (e: SessionEvent) => all.push(e) };
};
export const lastUser = (b: ChatBody) => b.messages.filter((m) => m.role === 'user').at(-1)!;
export const decoded = (url: string) => new Uint8Array(Buffer.from(url.split(',')[1]!, 'base64'));

/** Closes the servers each test of the calling describe started, after the test. */
export function closeServersAfterEach(): void {
  afterEach(async () => {
    while (servers.length) await servers.pop()!.close();
  });
}
