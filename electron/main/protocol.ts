import { protocol } from 'electron';
import { APP_SCHEME } from '#shared/api/channels';
import { CONTENT_SECURITY_POLICY, readStatic } from '#core/platform/static-files';

/** Must run before app 'ready': app:// behaves like https (secure context, own origin). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/** Serves the built renderer from app://teller/, never escaping its folder. */
export function serveRenderer(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== 'teller') return new Response('not found', { status: 404 });
    const { status, type, body } = await readStatic(rendererDir, url.pathname);
    return new Response(typeof body === 'string' ? body : new Uint8Array(body), {
      status,
      headers: { 'content-type': type, 'content-security-policy': CONTENT_SECURITY_POLICY, 'x-content-type-options': 'nosniff' },
    });
  });
}
