/**
 * A loopback port that refuses every connection for as long as a test holds
 * it, whatever else the machine is doing.
 *
 * A port taken from `listen(0)` and closed again is not that: the kernel may
 * hand it to the next `listen(0)` of any program (the test's own next server
 * included), and a program that learned it was free may bind it. Nor is the
 * local port of an open client connection: nothing can listen there, but the
 * kernel may pick it as the source port of a connection *to* it, which then
 * connects to itself (about one attempt in 14,000 on Linux, measured).
 *
 * So the port is held by the accepted end of a connection whose listener is
 * then closed (Linux, verified):
 * - nothing listens on it, so a connection attempt is refused (RST, `ECONNREFUSED`);
 * - the port stays bound by that socket, so `listen(0)` never hands it out,
 *   and a program's own port choice (`connect()`) skips it: no self-connection;
 * - a program that binds it by number with `SO_REUSEADDR` could still listen
 *   there, but only one that chose this number before the test took it from
 *   `listen(0)`.
 */
import { once } from 'node:events';
import { createServer, connect, type AddressInfo, type Socket } from 'node:net';

export interface RefusedPort {
  port: number;
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Lets the port go (ends the holding connection). */
  close(): Promise<void>;
}

/** Whether a connection to `port` is refused right now. */
async function isRefused(port: number): Promise<boolean> {
  const probe = connect(port, '127.0.0.1');
  return new Promise((resolve) => {
    probe.once('connect', () => {
      probe.destroy();
      resolve(false);
    });
    probe.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

/** Takes a port that refuses connections until `close()`; see the file comment for why it stays refused. */
export async function holdRefusedPort(): Promise<RefusedPort> {
  const server = createServer();
  const accepted = once(server, 'connection') as Promise<[Socket]>;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  const client = connect(port, '127.0.0.1');
  await once(client, 'connect');
  const [held] = await accepted;
  client.on('error', () => {});
  held.on('error', () => {});
  // The listening socket closes at once; the server's 'close' waits for the held connection.
  const closed = once(server, 'close');
  server.close();
  if (!(await isRefused(port))) throw new Error(`port ${port} still accepts connections after its listener closed`);
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      client.destroy();
      held.destroy();
      await closed;
    },
  };
}
