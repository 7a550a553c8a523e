import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { ToolName, ToolOutputs } from './tool-outputs.js';

/** The built CLI (tests run after `tsc`, see package.json). */
export const CLI = fileURLToPath(new URL('../../dist/src/cli.js', import.meta.url));

/** Spawns `cairn` over stdio with the given CAIRN_HOME and connects an SDK client. */
export async function spawnCairn(home: string, env: Record<string, string> = {}): Promise<{ client: Client; transport: StdioClientTransport; stderr: () => string }> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first`);
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI],
    env: { PATH: process.env.PATH ?? '', HOME: home, CAIRN_HOME: home, CAIRN_EMBEDDINGS: 'hashing', CAIRN_LOG_LEVEL: 'warn', CAIRN_CHECKIN_MINUTES: '0', ...env },
    stderr: 'pipe',
  });
  let err = '';
  transport.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const client = new Client({ name: 'cairn-e2e', version: '1.0.0' });
  await client.connect(transport);
  return { client, transport, stderr: () => err };
}

/** Calls a tool and returns its structured content (typed by the tool's output schema), throwing with the error text on failure. */
export async function callOk<N extends ToolName>(client: Client, name: N, args: Record<string, unknown> = {}): Promise<ToolOutputs[N]> {
  const res = await client.callTool({ name, arguments: args });
  if (res.isError) throw new Error(`${name}: ${JSON.stringify(res.content)}`);
  return res.structuredContent as ToolOutputs[N];
}
