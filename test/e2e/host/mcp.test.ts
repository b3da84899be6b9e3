// The MCP server the extension offers VS Code's MCP clients, in a trusted workspace: one definition for
// the open folder, running the bundled CLI with the extension host's Node; started as VS Code starts it,
// it serves the repository to the MCP SDK's own client. The setting turns it off.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import * as vscode from 'vscode';
import type { TestingApi } from '../../../src/ui/testHooks';
import { API_KEY, extension, sleep, testingApi, workspaceFolder } from './harness';

describe('MCP server definition (trusted workspace)', () => {
  let api: TestingApi;
  before(async () => {
    api = await testingApi();
    await api.setApiKey(API_KEY);
  });

  it("is contributed and provided for the open folder, run by the extension host's Node", async () => {
    const manifest = extension().packageJSON as { contributes: { mcpServerDefinitionProviders: { id: string }[] } };
    const contributed = manifest.contributes.mcpServerDefinitionProviders;
    assert.deepEqual(
      contributed.map((c) => c.id),
      ['deepseekRepo.mcpServer'],
    );
    assert.equal(vscode.workspace.isTrusted, true);
    const [server, ...more] = await api.mcpServers();
    assert.ok(server, 'no server definition in a trusted workspace');
    assert.deepEqual(more, []);
    assert.equal(server.label, 'DeepSeek Repo');
    assert.equal(server.command, process.execPath);
    assert.deepEqual(server.args, [
      path.join(extension().extensionPath, 'dist', 'cli.js'),
      'mcp',
      '--dir',
      workspaceFolder(),
    ]);
    assert.equal(server.env.DEEPSEEK_API_KEY, API_KEY, 'the key is added when VS Code starts the server');
  });

  it('started as VS Code starts it, serves the workspace to an MCP client', async () => {
    const [server] = await api.mcpServers();
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...process.env, ...server!.env }))
      if (v !== null && v !== undefined) env[k] = String(v);
    const client = new Client({ name: 'e2e', version: '0' });
    await client.connect(
      new StdioClientTransport({
        command: server!.command,
        args: server!.args,
        env,
        cwd: server!.cwd?.fsPath,
        stderr: 'pipe',
      }),
    );
    try {
      const { tools } = await client.listTools();
      assert.deepEqual(tools.map((t) => t.name).sort(), ['ask_repository', 'list_context', 'pack_repository']);
      const packed = (await client.callTool({ name: 'pack_repository', arguments: {} })) as CallToolResult;
      const first = packed.content[0];
      assert.ok(first?.type === 'text' && first.text.includes('src/greet.ts'), 'the pack holds the workspace');
    } finally {
      await client.close();
    }
  });

  it('deepseekRepo.mcpServer.enabled: false withdraws it', async () => {
    const config = vscode.workspace.getConfiguration('deepseekRepo');
    try {
      await config.update('mcpServer.enabled', false, vscode.ConfigurationTarget.Global);
      for (let i = 0; i < 200 && (await api.mcpServers()).length > 0; i++) await sleep(25);
      assert.deepEqual(await api.mcpServers(), [], 'still offered with the setting off');
    } finally {
      await config.update('mcpServer.enabled', undefined, vscode.ConfigurationTarget.Global);
    }
    assert.equal((await api.mcpServers()).length, 1);
  });
});
