import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';

/** Requests and notifications a session answers without the app (database, services). */
const WITHOUT_APP = new Set(['initialize', 'notifications/initialized', 'ping', 'tools/list', 'prompts/list', 'resources/templates/list', 'logging/setLevel']);

/** How long after answering `initialize` the client may still list tools and prompts before the app opens. */
export const LIST_GRACE_MS = 30;

/** How long a session waits for a client that says nothing at all before it opens the app anyway. */
export const SILENT_CLIENT_MS = 300;

/**
 * Resolves when a session's handshake is over, which is when a stdio server should start opening
 * its app: at the first message that needs the app, `LIST_GRACE_MS` after `initialize` was answered,
 * `SILENT_CLIENT_MS` after the start when no `initialize` came, or when the transport closes. Opening the app (loading storage code, native modules, migrations)
 * holds the event loop for 50–150 ms; started any earlier, it delays the answers to `initialize`
 * and `tools/list` (on Node 22 it runs before them). Wraps a transport a server is already
 * connected to.
 */
export function handshakeOver(transport: Transport, graceMs = LIST_GRACE_MS, silentMs = SILENT_CLIENT_MS): Promise<void> {
  return new Promise((resolve) => {
    let over = false;
    const finish = () => {
      if (over) return;
      over = true;
      clearTimeout(timer);
      resolve();
    };
    let timer = setTimeout(finish, silentMs);
    let initializeId: string | number | undefined;
    const received = transport.onmessage;
    transport.onmessage = (message, extra) => {
      if ('method' in message) {
        if (message.method === 'initialize' && 'id' in message && initializeId === undefined) {
          initializeId = message.id;
          clearTimeout(timer);
        } else if (!WITHOUT_APP.has(message.method)) finish();
      }
      received?.(message, extra);
    };
    const send = transport.send.bind(transport);
    transport.send = async (message, options) => {
      await send(message, options);
      if (!over && initializeId !== undefined && !('method' in message) && 'id' in message && message.id === initializeId) {
        timer = setTimeout(finish, graceMs);
      }
    };
    const closed = transport.onclose;
    transport.onclose = () => {
      finish();
      closed?.();
    };
  });
}
