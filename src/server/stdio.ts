import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { App } from '../app.js';
import { createMcpServer } from './mcp.js';

/**
 * Serves one MCP session over stdin/stdout. stdout carries protocol messages only; everything
 * else goes to stderr. Resolves when stdin closes or the transport shuts down.
 */
export async function serveStdio(app: App, io: { stdin?: NodeJS.ReadableStream; stdout?: NodeJS.WritableStream } = {}): Promise<void> {
  const server = createMcpServer(app, { namespace: app.config.namespace });
  const transport = new StdioServerTransport(io.stdin as never, io.stdout as never);
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    (io.stdin ?? process.stdin).once('end', () => resolve());
  });
  await server.connect(transport);
  await closed;
  await server.close().catch(() => undefined);
}
