// A loopback TCP forwarder in front of a test server (an SMTP server, say), to take that server
// off the network and bring it back on the same address: down() stops listening (connections
// are refused) and cuts every open connection, as a relay that stopped would; up() listens again
// on the same port. The server behind it keeps running, so what it received is kept.
import { createServer, connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface TcpSwitch {
  host: string;
  port: number;
  /** whether the switch listens now */
  readonly isUp: boolean;
  /** stops listening and destroys every open connection: the address refuses from now on */
  down(): Promise<void>;
  /** listens again on the same port */
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpSwitch(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpSwitch> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(targetPort, targetHost);
    sockets.add(client);
    sockets.add(upstream);
    const cut = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', cut).on('close', cut);
    upstream.on('error', cut).on('close', cut);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  await listen(0);
  const { port } = server.address() as AddressInfo;
  let isUp = true;

  const down = async () => {
    if (!isUp) return;
    isUp = false;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const s of sockets) s.destroy();
    sockets.clear();
    await closed;
  };
  return {
    host: '127.0.0.1',
    port,
    get isUp() {
      return isUp;
    },
    down,
    async up() {
      if (isUp) return;
      await listen(port);
      isUp = true;
    },
    close: down,
  };
}
