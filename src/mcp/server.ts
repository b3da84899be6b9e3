// The MCP server: the official SDK's McpServer on a stdio transport, with the three tools over one warm
// workspace, read ahead once the client has listed the tools. stdout carries protocol messages only; logs go to
// stderr. It serves until its input ends (the client closed it) or it is told to stop (SIGINT, SIGTERM), then saves
// the token counts.
import type { Readable, Writable } from 'node:stream';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { WorkspaceRoot } from '../context/types';
import type { Logger } from '../shared/log';
import type { Timeouts } from '../llm/types';
import type { Endpoint } from '../cli/sessionPorts';
import { registerAskTool } from './askTool';
import { readAhead, registerPackTools } from './packTools';
import { TextKeepingStdioTransport } from './stdioTransport';
import { McpWorkspace } from './workspace';

export interface McpServerOptions {
  roots: WorkspaceRoot[];
  cacheDir: string;
  endpoint: Endpoint;
  timeouts: Partial<Timeouts>;
  version: string;
  log: Logger;
  /** Default: the process's stdin and stdout. */
  input?: Readable;
  output?: Writable;
  /** Ends the server when aborted (default: never; the input's end always does). */
  signal?: AbortSignal;
}

/** Serves the tools until the input ends or `signal` aborts; resolves once the server has stopped. */
export async function serveMcp(o: McpServerOptions): Promise<void> {
  const ws = new McpWorkspace(o.roots, { cacheDir: o.cacheDir, logger: o.log });
  const server = new McpServer(
    { name: 'deepseek-repo', title: 'DeepSeek Repo', version: o.version },
    {
      instructions:
        'The whole repository (' +
        o.roots.map((r) => r.path).join(', ') +
        ') for you: pack_repository gives it as one text (secrets redacted), list_context what that text holds, ' +
        'ask_repository asks DeepSeek about it with the repository read from its prefix cache.',
    },
  );
  registerPackTools(server, ws);
  registerAskTool(server, ws, { endpoint: o.endpoint, timeouts: o.timeouts, cacheDir: o.cacheDir });
  const input = o.input ?? process.stdin;
  const transport = new TextKeepingStdioTransport(input, o.output ?? process.stdout, {
    answers: (method) => answers(server, method),
  });
  transport.onerror = (e) => o.log.warn(`mcp: ${e.message}`);
  const stopped = new Promise<void>((resolve) => {
    const stop = () => resolve();
    input.once('end', stop);
    input.once('close', stop);
    o.signal?.addEventListener('abort', stop, { once: true });
    if (o.signal?.aborted) stop();
  });
  // Once the client has listed the tools (as it does right after the handshake, answered at once), the repository
  // is read ahead of its first call: an agent calls a tool seconds later, if at all, and finds the work done. Not
  // sooner: reading keeps the server busy for a while (most of a second on 10,000 files), and the list must not wait.
  const ending = new AbortController();
  let ahead: Promise<void> | undefined;
  transport.onsent = (message) => {
    if (ahead || !listsTools(message)) return;
    ahead = readAhead(ws, ending.signal).then(
      (pack) =>
        o.log.info(`read ahead: ${pack.files.length} files, ${pack.tokens} tokens as pack_repository sends them`),
      (e: unknown) => {
        if (!ending.signal.aborted) o.log.warn(`reading the repository ahead failed: ${(e as Error).message}`);
      },
    );
  };
  await server.connect(transport);
  o.log.info(`serving ${o.roots.map((r) => r.path).join(', ')}`);
  try {
    await stopped;
  } finally {
    ending.abort();
    await ahead;
    await server.close();
    ws.dispose();
  }
}

/** Whether `server` has a handler for requests to `method` (the SDK's public check throws when it has one). */
function answers(server: McpServer, method: string): boolean {
  try {
    server.server.assertCanSetRequestHandler(method);
    return false;
  } catch {
    return true;
  }
}

/** The server's answer to tools/list. */
function listsTools(message: JSONRPCMessage): boolean {
  return 'result' in message && Array.isArray((message.result as { tools?: unknown }).tools);
}
