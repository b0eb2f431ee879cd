import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { WS_PATH } from '#shared/api/channels';
import type { Logger } from '#shared/log/logger';
import { wsRequestSchema, type WsServerFrame } from '#shared/transport/ws-protocol';
import type { Core } from '#core/index';
import { CONTENT_SECURITY_POLICY, readStatic } from '#core/platform/static-files';

export interface HostOptions {
  core: Core;
  /** The built renderer. */
  staticDir: string;
  port: number;
  host: string;
  logger: Logger;
}

export interface Host {
  url: string;
  server: Server;
  close(): Promise<void>;
}

const MAX_FRAME_BYTES = 1 << 20;

/** Browsers send Origin on WebSocket upgrades; accept only pages this host served. */
function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  return origin !== undefined && req.headers.host !== undefined && origin === `http://${req.headers.host}`;
}

/**
 * Serves the built renderer and the core's API over one WebSocket per client. Each
 * socket is its own core channel, so each browser tab has its own session.
 */
export function startHost(options: HostOptions): Promise<Host> {
  const log = options.logger.child('host');
  const server = createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    void readStatic(options.staticDir, req.url ?? '/').then(({ status, type, body }) => {
      res.writeHead(status, {
        'content-type': type,
        'content-security-policy': CONTENT_SECURITY_POLICY,
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-store',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  server.on('upgrade', (req, socket, head) => {
    if (new URL(req.url ?? '/', 'http://x').pathname !== WS_PATH || !sameOrigin(req)) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serve(ws, req));
  });

  function serve(ws: WebSocket, req: IncomingMessage) {
    const channel = options.core.connect({ kind: 'ws', label: req.socket.remoteAddress });
    const send = (frame: WsServerFrame) => ws.readyState === ws.OPEN && ws.send(JSON.stringify(frame));
    const unsubscribe = channel.onEvent((event) => send({ kind: 'event', event }));
    ws.on('message', (data, isBinary) => {
      let request;
      try {
        request = wsRequestSchema.parse(JSON.parse(isBinary ? '' : data.toString()));
      } catch {
        ws.close(1003, 'malformed frame');
        return;
      }
      const { id, method, params } = request;
      void channel.dispatch(method, params).then((envelope) => send({ kind: 'reply', id, envelope }));
    });
    ws.on('close', () => {
      unsubscribe();
      channel.close();
    });
  }

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      const { port } = server.address() as AddressInfo;
      const url = `http://${options.host}:${port}/`;
      log.info('listening', { url });
      resolve({
        url,
        server,
        close: () =>
          new Promise<void>((done) => {
            wss.clients.forEach((c) => c.terminate());
            wss.close();
            server.close(() => done());
          }),
      });
    });
  });
}
