import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { WsServerFrame } from '#shared/transport/ws-protocol';
import { startTestCore, tempDir } from '#core/testing/fixture';
import { startHost, type Host } from './server';

let host: Host | undefined;
let disposeCore: (() => void) | undefined;
afterEach(async () => {
  await host?.close();
  disposeCore?.();
});

async function setup() {
  const t = await startTestCore();
  disposeCore = t.dispose;
  const staticDir = tempDir();
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>一窗通</title>');
  host = await startHost({ core: t.core, staticDir, port: 0, host: '127.0.0.1', logger: t.logger });
  return host;
}

function open(url: string, origin: string | undefined): Promise<WebSocket> {
  const ws = new WebSocket(url.replace('http', 'ws') + 'api', origin ? { origin } : {});
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function call(ws: WebSocket, id: number, method: string, params: unknown): Promise<WsServerFrame> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const frame = JSON.parse(data.toString()) as WsServerFrame;
      if (frame.kind === 'reply' && frame.id === id) {
        ws.off('message', onMessage);
        resolve(frame);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ id, method, params }));
  });
}

describe('the Node host', () => {
  it('serves the UI with the strict CSP and never outside its folder', async () => {
    const { url } = await setup();
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('一窗通');
    for (const path of ['/..%2f..%2f..%2fetc%2fpasswd', '/%2e%2e/%2e%2e/etc/passwd']) {
      const res = await fetch(url + path.slice(1));
      expect([403, 404]).toContain(res.status);
      expect(await res.text()).not.toContain('root:');
    }
  });

  it('answers API calls on a same-origin socket, with a session per socket', async () => {
    const { url } = await setup();
    const origin = url.replace(/\/$/, '');
    const a = await open(url, origin);
    const b = await open(url, origin);
    expect(await call(a, 1, 'system.ping', {})).toEqual({ kind: 'reply', id: 1, envelope: { ok: true, value: { pong: true } } });
    const login = await call(a, 2, 'auth.login', { username: 'teller', password: 'teller123', windowNo: 1 });
    expect(login).toMatchObject({ envelope: { ok: true, value: { operator: { username: 'teller' } } } });
    expect(await call(b, 1, 'auth.session', {})).toMatchObject({ envelope: { ok: true, value: null } });
    a.close();
    b.close();
  });

  it('refuses sockets from another origin or without one', async () => {
    const { url } = await setup();
    await expect(open(url, 'http://evil.example')).rejects.toThrow(/403/);
    await expect(open(url, undefined)).rejects.toThrow(/403/);
  });

  it('closes a socket that sends a malformed frame', async () => {
    const { url } = await setup();
    const ws = await open(url, url.replace(/\/$/, ''));
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send('{not json');
    expect(await closed).toBe(1003);
  });
});
