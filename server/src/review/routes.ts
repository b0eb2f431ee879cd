import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { idSchema, isPlainText } from '#shared/sync/protocol';
import { MAX_FILE_BYTES } from '#shared/sync/files';
import type { Store } from '../db/store';
import type { BlobStore } from '../files/blob-store';
import { readVerified } from '../files/files';
import { SyncError } from '../http/errors';
import { cataloguesFor } from '../reference/catalogue';
import { RESOLUTIONS, resolveConflict, type Resolution } from './conflicts';
import { BACK_OFFICE_ACTIONS, decide, NEEDS_REASON, type BackOfficeAction } from './decide';
import { CONTENT_SECURITY_POLICY, type Html } from './html';
import { login } from './login';
import { casePage, conflictsPage, errorPage, loginPage, queuePage, type Notice, type PageState } from './pages';
import { backOfficeQueue, caseDetail, openConflicts, regionPage } from './queue';
import {
  createSession,
  currentSession,
  endSession,
  LOGIN_COOKIE,
  randomToken,
  readCookie,
  sameToken,
  SESSION_COOKIE,
  setCookie,
  type ReviewSession,
} from './session';

/**
 * The review page (/review/): reviewers and approvers of a central station sign in with their published account,
 * see the cases of their region waiting for the back office, decide them, and settle registry conflicts. Plain HTML
 * forms, no script; every POST carries the session's CSRF token (the login form a double-submit token), and every
 * answer the same strict Content-Security-Policy.
 */

export interface ReviewDeps {
  store: Store;
  /** The files of material pages, shown to reviewers on demand. */
  blobs: BlobStore;
  now: () => Date;
  newId: () => string;
}

type Form = Record<string, string | undefined>;

const FORM_LIMIT = 16 * 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LOGIN_TOKEN_SECONDS = 3600;

// What a redirect after a POST may announce: fixed texts chosen by code, so nothing from the URL is echoed.
const DONE: Record<string, string> = {
  pass_review: '已复核通过，结果已发往受理站点',
  approve: '已审批通过，结果已发往受理站点',
  reject: '已决定不予办理，结果已发往受理站点',
  return_for_materials: '已退回补正，结果已发往受理站点',
  repeated: '该决定此前已提交，未重复处理',
  resolved: '登记冲突已处理，结果已发往站点',
};
const doneNotice = (req: FastifyRequest): Notice => {
  const code = (req.query as Record<string, unknown>).done;
  return typeof code === 'string' && DONE[code] ? { kind: 'info', text: DONE[code] } : undefined;
};

const send = (reply: FastifyReply, page: Html, status = 200) => reply.code(status).type('text/html; charset=utf-8').send(page.text);
const redirect = (reply: FastifyReply, location: string) => reply.code(303).header('location', location).send();
const formOf = (req: FastifyRequest): Form => (req.body && typeof req.body === 'object' ? (req.body as Form) : {});

export function reviewSite(deps: ReviewDeps) {
  const { store, blobs, now, newId } = deps;

  return async function site(app: FastifyInstance): Promise<void> {
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_LIMIT }, (_req, body, done) =>
      done(null, Object.fromEntries(new URLSearchParams(String(body)))),
    );
    app.addHook('onSend', async (_req, reply) => {
      reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
      reply.header('x-content-type-options', 'nosniff');
      reply.header('x-frame-options', 'DENY');
      reply.header('referrer-policy', 'no-referrer');
      // Page images set their own (private) caching; everything else is never cached.
      if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    });
    app.setErrorHandler((err: FastifyError, req, reply) => {
      const status =
        err instanceof SyncError ? err.status : err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
      if (status >= 500 && status !== 503) req.log.error({ err }, 'review page failed');
      const message =
        status === 413
          ? '提交的内容过多'
          : status === 415
            ? '不支持的提交方式'
            : status === 503
              ? '服务暂不可用，请稍后再试'
              : status < 500
                ? '请求无效，请返回后重试'
                : '系统出错，请稍后再试';
      return send(reply, errorPage(message), status);
    });
    app.setNotFoundHandler((_req, reply) => send(reply, errorPage('页面不存在'), 404));

    /** The signed-in operator, or a redirect to the login page. */
    async function signedIn(req: FastifyRequest, reply: FastifyReply): Promise<ReviewSession | null> {
      const session = await currentSession(store, req, now().getTime());
      if (!session) redirect(reply, '/review/login');
      return session;
    }

    /** A POST of the session must carry its token; anything else is refused before it changes anything. */
    function forged(req: FastifyRequest, reply: FastifyReply, session: ReviewSession): boolean {
      if (sameToken(formOf(req)._csrf, session.csrf)) return false;
      req.log.warn({ operatorId: session.operator.id, url: req.url }, 'review page: CSRF token missing or wrong');
      send(reply, errorPage('页面已过期或来源不明，请刷新页面后重试', session), 403);
      return true;
    }

    function showLogin(
      req: FastifyRequest,
      reply: FastifyReply,
      status: number,
      input: { stationCode?: string; username?: string; notice?: Notice } = {},
    ) {
      const token = randomToken();
      setCookie(req, reply, LOGIN_COOKIE, token, LOGIN_TOKEN_SECONDS);
      return send(reply, loginPage({ token, ...input }), status);
    }

    app.get('/login', async (req, reply) => {
      if (await currentSession(store, req, now().getTime())) return redirect(reply, '/review/');
      return showLogin(req, reply, 200);
    });

    app.post('/login', async (req, reply) => {
      const form = formOf(req);
      const stationCode = (form.station ?? '').trim();
      const username = (form.username ?? '').trim();
      const password = form.password ?? '';
      const expected = readCookie(req, LOGIN_COOKIE);
      if (!expected || !sameToken(form._csrf, expected)) {
        return showLogin(req, reply, 403, { stationCode, username, notice: { kind: 'error', text: '登录页面已过期，请重新登录' } });
      }
      if (!/^\d{6,12}$/.test(stationCode) || username.length < 1 || username.length > 64 || password.length < 1 || password.length > 128) {
        return showLogin(req, reply, 400, { stationCode, username, notice: { kind: 'error', text: '请填写中心机构编码、用户名和密码' } });
      }
      const result = await login(store, { stationCode, username, password }, now().getTime());
      if (!result.ok) {
        req.log.warn({ stationCode, username, reason: result.reason }, 'review login refused');
        const status = result.reason === 'locked' ? 429 : result.reason === 'role' ? 403 : 401;
        return showLogin(req, reply, status, { stationCode, username, notice: { kind: 'error', text: result.message } });
      }
      const { token, maxAgeSeconds } = await createSession(store, result.operator, now().getTime());
      setCookie(req, reply, SESSION_COOKIE, token, maxAgeSeconds);
      setCookie(req, reply, LOGIN_COOKIE, '', 0);
      req.log.info({ operatorId: result.operator.id, stationCode }, 'review login');
      return redirect(reply, '/review/');
    });

    app.post('/logout', async (req, reply) => {
      const session = await signedIn(req, reply);
      if (!session || forged(req, reply, session)) return reply;
      await endSession(store, session.idHash);
      setCookie(req, reply, SESSION_COOKIE, '', 0);
      req.log.info({ operatorId: session.operator.id }, 'review logout');
      return redirect(reply, '/review/login');
    });

    app.get('/', async (req, reply) => {
      const session = await signedIn(req, reply);
      if (!session) return reply;
      return send(reply, queuePage(session, await backOfficeQueue(store.reader, session.station), doneNotice(req)));
    });

    async function showCase(req: FastifyRequest, reply: FastifyReply, session: ReviewSession, id: string, notice: Notice, status = 200) {
      const log = req.log;
      const detail = idSchema.safeParse(id).success ? await caseDetail(store.reader, session.station, id) : undefined;
      if (!detail) return send(reply, errorPage('案件不存在，或不属于本中心辖区', session), 404);
      const catalogue = await cataloguesFor(store.reader, detail.station.region_code);
      const sub = catalogue(detail.row.business_date).subItem(detail.row.sub_item_code)?.sub;
      // Each page's file is hashed before the page offers it: one that fails is announced, never linked.
      const states = new Map<string, PageState>();
      for (const page of detail.pages) {
        const context = { pageId: page.id, caseId: page.case_id };
        const checked = page.stored ? await readVerified({ store, blobs }, log, page.sha256, { offset: 0, length: 0 }, context) : undefined;
        states.set(page.id, checked?.ok ? 'ok' : (checked?.problem ?? 'missing'));
      }
      // Each rendering of the form gets a new operation id: submitting the same form twice applies it once.
      return send(reply, casePage(session, detail, sub, newId(), states, notice), status);
    }

    app.get<{ Params: { id: string } }>('/cases/:id', async (req, reply) => {
      const session = await signedIn(req, reply);
      if (!session) return reply;
      return showCase(req, reply, session, req.params.id, doneNotice(req));
    });

    app.post<{ Params: { id: string } }>('/cases/:id', async (req, reply) => {
      const session = await signedIn(req, reply);
      if (!session || forged(req, reply, session)) return reply;
      const form = formOf(req);
      const action = form.action as BackOfficeAction;
      const reason = (form.reason ?? '').trim();
      const opId = form.opId ?? '';
      if (!BACK_OFFICE_ACTIONS.includes(action) || !UUID.test(opId))
        return send(reply, errorPage('请求无效，请刷新页面后重试', session), 400);
      const invalid =
        NEEDS_REASON.has(action) && reason.length < 2
          ? '不予办理或退回补正时必须写明原因'
          : reason.length > 200 || !isPlainText(reason)
            ? '意见不能超过200字，且不能含有控制字符'
            : null;
      if (invalid) return showCase(req, reply, session, req.params.id, { kind: 'error', text: invalid }, 422);
      const detail = idSchema.safeParse(req.params.id).success ? await caseDetail(store.reader, session.station, req.params.id) : undefined;
      if (!detail) return send(reply, errorPage('案件不存在，或不属于本中心辖区', session), 404);

      const result = await decide(store, session, detail.row, { action, reason: reason || null, opId }, now(), newId);
      const refused = result.kind === 'decided' && result.outcome.outcome === 'refused' ? result.outcome : null;
      req.log.info(
        {
          operatorId: session.operator.id,
          station: session.station.code,
          caseId: detail.row.id,
          caseNo: detail.row.case_no,
          action,
          opId,
          result: result.kind,
          outcome: result.kind === 'decided' ? result.outcome.outcome : result.outcome,
          ...(refused ? { code: refused.code, reason: refused.reason } : {}),
        },
        'review decision',
      );
      if (result.kind === 'repeated') return redirect(reply, `/review/cases/${detail.row.id}?done=repeated`);
      if (refused) return showCase(req, reply, session, detail.row.id, { kind: 'error', text: refused.message }, 409);
      return redirect(reply, `/review/cases/${detail.row.id}?done=${action}`);
    });

    // One page's file, for the case page's images and links: the same region check as the case, and hashed on every read.
    app.get<{ Params: { id: string } }>('/pages/:id', async (req, reply) => {
      const session = await signedIn(req, reply);
      if (!session) return reply;
      const page = idSchema.safeParse(req.params.id).success ? await regionPage(store.reader, session.station, req.params.id) : undefined;
      if (!page) return send(reply, errorPage('材料影像不存在，或不属于本中心辖区', session), 404);
      const read = page.stored
        ? await readVerified(
            { store, blobs },
            req.log,
            page.sha256,
            { offset: 0, length: MAX_FILE_BYTES },
            { pageId: page.id, caseId: page.case_id },
          )
        : undefined;
      if (!read?.ok) {
        return read?.problem === 'corrupt'
          ? send(reply, errorPage('影像校验失败', session), 409)
          : send(reply, errorPage('影像尚未上传', session), 404);
      }
      const pdf = page.mime === 'application/pdf';
      return reply
        .code(200)
        .type(page.mime)
        .header('cache-control', 'private, max-age=3600')
        .header(
          'content-disposition',
          pdf ? `attachment; filename="${page.case_no}-${page.material_code.replace(/[^0-9A-Za-z_-]/g, '_')}-${page.seq}.pdf"` : 'inline',
        )
        .send(read.bytes);
    });

    app.get('/conflicts', async (req, reply) => {
      const session = await signedIn(req, reply);
      if (!session) return reply;
      return send(reply, conflictsPage(session, await openConflicts(store.reader, session.station), doneNotice(req)));
    });

    app.post<{ Params: { id: string } }>('/conflicts/:id', async (req, reply) => {
      const session = await signedIn(req, reply);
      if (!session || forged(req, reply, session)) return reply;
      if (session.operator.role !== 'reviewer') return send(reply, errorPage('登记冲突由复核员处理', session), 403);
      const resolution = formOf(req).resolution as Resolution;
      if (!RESOLUTIONS.includes(resolution) || !idSchema.safeParse(req.params.id).success) {
        return send(reply, errorPage('请求无效，请刷新页面后重试', session), 400);
      }
      const result = await resolveConflict(store, session, { conflictId: req.params.id, resolution }, now());
      req.log.info({ operatorId: session.operator.id, conflictId: req.params.id, resolution, ok: result.ok }, 'review conflict resolution');
      if (result.ok) return redirect(reply, '/review/conflicts?done=resolved');
      const notice: Notice = { kind: 'error', text: result.message };
      return send(reply, conflictsPage(session, await openConflicts(store.reader, session.station), notice), 409);
    });
  };
}
