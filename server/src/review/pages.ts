import { ROLE_LABELS } from '#shared/api/roles';
import { applyCaseAction, CASE_ACTION_LABELS, CASE_STATUS_LABELS, type CaseStatus } from '#shared/domain/cases/state-machine';
import type { CatalogueSubItem } from '#shared/domain/catalogue/schema';
import { maskIdNumber, maskMiddle, maskName, maskPhone } from '#shared/domain/identity/masking';
import { formatYuan } from '#shared/domain/money/fen';
import { redactPersonalNumbers } from '#shared/log/logger';
import { actorOf, snapshotOf } from '../ops/cases';
import { BACK_OFFICE_ACTIONS, NEEDS_REASON } from './decide';
import { html, layout, localTime, type Html } from './html';
import type { CaseDetail, CasePage, OpenConflict, QueueEntry } from './queue';
import type { ReviewSession } from './session';

/** The pages of the review site. Every value from the database or a request goes through `html`, which escapes it. */

export type Notice = { kind: 'info' | 'error'; text: string } | undefined;

const userOf = (session: ReviewSession) => ({
  label: `${session.station.name} · ${session.operator.display_name}（${ROLE_LABELS[session.operator.role]}）`,
  csrf: session.csrf,
});

const csrfField = (session: ReviewSession) => html`<input type="hidden" name="_csrf" value="${session.csrf}" />`;

export function loginPage(input: { token: string; stationCode?: string; username?: string; notice?: Notice }): Html {
  return layout(
    { title: '登录', notice: input.notice },
    html`<section class="login">
      <h1>复核审批登录</h1>
      <form method="post" action="/review/login">
        <input type="hidden" name="_csrf" value="${input.token}" />
        <label for="station">中心机构编码</label
        ><input id="station" name="station" value="${input.stationCode ?? ''}" required inputmode="numeric" autocomplete="organization" />
        <label for="username">用户名</label
        ><input id="username" name="username" value="${input.username ?? ''}" required autocomplete="username" />
        <label for="password">密码</label><input id="password" name="password" type="password" required autocomplete="current-password" />
        <button>登录</button>
      </form>
    </section>`,
  );
}

const statusLabel = (status: string) => CASE_STATUS_LABELS[status as CaseStatus] ?? status;
const amount = (fen: number | null) => (fen === null ? '—' : formatYuan(fen));

export function queuePage(session: ReviewSession, entries: readonly QueueEntry[], notice?: Notice): Html {
  const mine = session.operator.role === 'reviewer' ? 'pending_review' : 'pending_approval';
  const rows = entries.map(
    (e) =>
      html`<tr>
        <td><a href="/review/cases/${e.id}">${e.case_no}</a></td>
        <td>${e.station_name}</td>
        <td>${e.sub_item_name}</td>
        <td>${statusLabel(e.status)}${e.status === mine ? html` <strong>（待我处理）</strong>` : ''}</td>
        <td>${localTime(e.accepted_at)}</td>
        <td>${amount(e.amount_fen)}</td>
      </tr>`,
  );
  return layout(
    { title: '待办案件', user: userOf(session), notice },
    html`<section>
      <h1>本辖区待复核、待审批的案件</h1>
      ${
        entries.length === 0
          ? html`<p class="muted">暂无待处理的案件。</p>`
          : html`<table>
              <thead>
                <tr>
                  <th>受理编号</th>
                  <th>受理站点</th>
                  <th>事项</th>
                  <th>状态</th>
                  <th>受理时间</th>
                  <th>金额</th>
                </tr>
              </thead>
              <tbody>
                ${rows}
              </tbody>
            </table>`
      }
    </section>`,
  );
}

const MATERIAL_STATUS: Record<string, string> = { received: '已收', missing: '未收', data_check: '数据核验' };

/** A page's file as the case page found it: hashed and good, not (or no longer) at the central office, or damaged. */
export type PageState = 'ok' | 'missing' | 'corrupt';

/** One page of a material: its image (a link for a PDF) when its file checked out, else why not. Never the bytes. */
function pageItem(page: CasePage, state: PageState, material: string, n: number): Html {
  const url = `/review/pages/${page.id}`;
  if (state === 'missing') return html`<li class="muted">第${n}页：影像尚未上传</li>`;
  if (state === 'corrupt') return html`<li class="failed">第${n}页：影像校验失败</li>`;
  if (page.mime === 'application/pdf') return html`<li><a href="${url}">第${n}页（PDF）</a></li>`;
  return html`<li>
    <a href="${url}"><img src="${url}" alt="${material} 第${n}页" loading="lazy" /></a>
  </li>`;
}

function materialPages(detail: CaseDetail, states: ReadonlyMap<string, PageState>, material: { code: string; name: string }): Html {
  const pages = detail.pages.filter((p) => p.material_code === material.code);
  if (pages.length === 0) return html`<span class="muted">无</span>`;
  return html`<ul class="pages">
    ${pages.map((p, i) => pageItem(p, states.get(p.id) ?? 'missing', material.name, i + 1))}
  </ul>`;
}

/** A form value as the page shows it: personal numbers masked, amounts in yuan, choices by their label. */
function formValue(key: string, value: unknown, field: CatalogueSubItem['formFields'][number] | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (typeof value === 'number') return field?.type === 'money' ? formatYuan(value) : String(value);
  if (typeof value !== 'string') return redactPersonalNumbers(JSON.stringify(value));
  switch (field?.type) {
    case 'id_number':
      return maskIdNumber(value);
    case 'phone':
      return maskPhone(value);
    case 'bank_account':
      return maskMiddle(value, 4, 4);
    case 'select':
      return field.options?.find((o) => o.value === value)?.label ?? value;
    default:
      return key === 'name' ? maskName(value) : redactPersonalNumbers(value);
  }
}

/** Who the case is for, masked: from the registry when the case names a person, else from its form. */
function personOf(detail: CaseDetail, form: Record<string, unknown>): string {
  const fields = detail.person ? (JSON.parse(detail.person.fields) as Record<string, unknown>) : form;
  const name = typeof fields.name === 'string' ? maskName(fields.name) : '';
  const idNumber = typeof fields.idNumber === 'string' ? maskIdNumber(fields.idNumber) : '';
  return [name, idNumber].filter(Boolean).join(' ') || '—';
}

export function casePage(
  session: ReviewSession,
  detail: CaseDetail,
  sub: CatalogueSubItem | undefined,
  opId: string,
  pageStates: ReadonlyMap<string, PageState>,
  notice?: Notice,
): Html {
  const { row, station } = detail;
  const form = JSON.parse(row.form) as Record<string, unknown>;
  const materials = JSON.parse(row.materials) as { code: string; name: string; status: string }[];
  const names = (ids: string) => (JSON.parse(ids) as string[]).map((id) => detail.names.get(id) ?? id).join('、') || '—';
  const fields = sub?.formFields ?? [];
  const keys = [...fields.map((f) => f.key), ...Object.keys(form).filter((k) => !fields.some((f) => f.key === k))];
  const formRows = keys
    .filter((k) => k in form)
    .map((k) => {
      const field = fields.find((f) => f.key === k);
      return html`<dt>${field?.label ?? k}</dt>
        <dd>${formValue(k, form[k], field)}</dd>`;
    });

  const snapshot = snapshotOf(row);
  const actor = actorOf(session.operator);
  const checks = BACK_OFFICE_ACTIONS.map((action) => ({ action, result: applyCaseAction(snapshot, action, actor) }));
  const allowed = checks.filter((c) => c.result.ok).map((c) => c.action);
  const barred =
    checks.map((c) => c.result).find((r) => !r.ok && r.reason === 'separation_of_duties') ??
    checks.map((c) => c.result).find((r) => !r.ok && r.reason === 'role');
  const decision =
    allowed.length > 0
      ? html`<form method="post" action="/review/cases/${row.id}">
          ${csrfField(session)}<input type="hidden" name="opId" value="${opId}" />
          <label for="reason">意见（不予办理、退回补正时必填，将告知申请人）</label
          ><textarea id="reason" name="reason" maxlength="200"></textarea>
          ${allowed.map(
            (action) =>
              html`<button name="action" value="${action}" ${NEEDS_REASON.has(action) ? html` class="danger"` : ''}>
                ${CASE_ACTION_LABELS[action]}
              </button>`,
          )}
        </form>`
      : html`<p class="muted">${barred && !barred.ok ? barred.message : `案件当前状态为“${statusLabel(row.status)}”，无需复核审批`}</p>`;

  return layout(
    { title: `案件 ${row.case_no}`, user: userOf(session), notice },
    html`<section>
        <h1>案件 ${row.case_no}</h1>
        <dl>
          <dt>事项</dt>
          <dd>${row.sub_item_name}（${row.sub_item_code}）</dd>
          <dt>受理站点</dt>
          <dd>${station.name}（${station.code}）</dd>
          <dt>受理时间</dt>
          <dd>${localTime(row.accepted_at)}</dd>
          <dt>办理对象</dt>
          <dd>${personOf(detail, form)}</dd>
          <dt>金额</dt>
          <dd>${amount(row.amount_fen)}</dd>
          <dt>审核级别</dt>
          <dd>${row.review_level === 3 ? '复核＋审批' : row.review_level === 2 ? '复核' : '一级审核'}</dd>
          <dt>状态</dt>
          <dd>${statusLabel(row.status)}</dd>
          <dt>受理人</dt>
          <dd>${names(row.accepted_by)}</dd>
          <dt>复核人</dt>
          <dd>${names(row.reviewed_by)}</dd>
          ${
            row.last_reason
              ? html`<dt>上次意见</dt>
                  <dd>${row.last_reason}</dd>`
              : ''
          }
        </dl>
      </section>
      <section>
        <h2>申请材料</h2>
        ${
          materials.length === 0
            ? html`<p class="muted">无</p>`
            : html`<table>
                <thead>
                  <tr>
                    <th>材料</th>
                    <th>收取情况</th>
                    <th>影像</th>
                  </tr>
                </thead>
                <tbody>
                  ${materials.map(
                    (m) =>
                      html`<tr>
                        <td>${m.name}</td>
                        <td>${MATERIAL_STATUS[m.status] ?? m.status}</td>
                        <td>${materialPages(detail, pageStates, m)}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>`
        }
      </section>
      <section>
        <h2>申请表</h2>
        ${formRows.length === 0 ? html`<p class="muted">无</p>` : html`<dl>${formRows}</dl>`}
      </section>
      <section>
        <h2>处理</h2>
        ${decision}
      </section>`,
  );
}

const FIELD_LABELS: Record<string, string> = {
  name: '姓名',
  phone: '联系电话',
  address: '地址',
  cardNumber: '社会保障卡号',
  employerId: '所在单位',
  legalRep: '法定代表人',
  riskClass: '行业风险类别',
};

// Both values are shown whole (choosing between them needs them), except anything shaped like an ID number.
const shown = (text: string | null): string => {
  const value = text === null ? null : (JSON.parse(text) as unknown);
  if (value === null || value === '') return '—';
  return redactPersonalNumbers(typeof value === 'string' ? value : JSON.stringify(value));
};

export function conflictsPage(session: ReviewSession, conflicts: readonly OpenConflict[], notice?: Notice): Html {
  const mayResolve = session.operator.role === 'reviewer';
  const rows = conflicts.map((c) => {
    const current =
      c.current_fields === null ? null : JSON.stringify((JSON.parse(c.current_fields) as Record<string, unknown>)[c.field] ?? null);
    return html`<tr>
      <td>${c.station_name}</td>
      <td>${c.entity === 'person' ? '参保人' : '单位'} ${c.entity_id}</td>
      <td>${FIELD_LABELS[c.field] ?? c.field}</td>
      <td>${shown(current)}</td>
      <td>${shown(c.device_value)}</td>
      <td>${localTime(c.created_at)}</td>
      <td>
        ${
          mayResolve
            ? html`<form method="post" action="/review/conflicts/${c.id}">
                ${csrfField(session)}<button name="resolution" value="server" class="secondary">保留中心值</button
                ><button name="resolution" value="device">采用站点值</button>
              </form>`
            : html`<span class="muted">由复核员处理</span>`
        }
      </td>
    </tr>`;
  });
  return layout(
    { title: '登记冲突', user: userOf(session), notice },
    html`<section>
      <h1>本辖区待处理的登记冲突</h1>
      <p class="muted">同一字段在中心已被其他设备修改、站点又改成了不同的值。请核实后选择保留的值，结果会同步到该站点。</p>
      ${
        conflicts.length === 0
          ? html`<p class="muted">暂无待处理的登记冲突。</p>`
          : html`<table>
              <thead>
                <tr>
                  <th>站点</th>
                  <th>记录</th>
                  <th>字段</th>
                  <th>中心当前值</th>
                  <th>站点提交的值</th>
                  <th>发生时间</th>
                  <th>处理</th>
                </tr>
              </thead>
              <tbody>
                ${rows}
              </tbody>
            </table>`
      }
    </section>`,
  );
}

export function errorPage(message: string, session?: ReviewSession): Html {
  return layout(
    { title: '无法完成', notice: { kind: 'error', text: message }, ...(session ? { user: userOf(session) } : {}) },
    html`<p><a href="/review/">返回待办案件</a></p>`,
  );
}
