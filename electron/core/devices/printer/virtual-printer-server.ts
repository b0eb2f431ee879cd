import { createServer, type Socket } from 'node:net';

import type { VirtualPrinter } from './virtual-printer';

export interface VirtualPrinterServer {
  readonly host: string;
  readonly port: number;
  /** tcp://host:port, ready for `createPrinterTransport`. */
  readonly uri: string;
  close(): Promise<void>;
}

/**
 * Puts a virtual printer on a TCP port like a network printer's raw port 9100: each connection is a
 * byte stream into the printer and DLE EOT is answered on the same socket.
 */
export async function serveVirtualPrinter(
  printer: VirtualPrinter,
  options: { host?: string; port?: number } = {},
): Promise<VirtualPrinterServer> {
  const host = options.host ?? '127.0.0.1';
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    const session = printer.openSession();
    socket.on('data', (chunk) => {
      const reply = session.push(chunk);
      if (reply.length === 0) return;
      if (printer.latencyMs > 0) setTimeout(() => socket.writable && socket.write(reply), printer.latencyMs);
      else socket.write(reply);
    });
    socket.on('close', () => {
      sockets.delete(socket);
      session.end();
    });
    // A client that resets the connection must not crash the demo.
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    host,
    port,
    uri: `tcp://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
