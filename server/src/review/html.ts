import { createHash } from 'node:crypto';
import { STATION_TIME_ZONE } from '#shared/api/station';

/**
 * Server-rendered HTML for the review page: one tagged template that escapes every interpolated value unless it is
 * already HTML built by the same template, one stylesheet allowed by its hash, and no script at all.
 */

export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (ch) => ESCAPES[ch]!);

type Part = Html | string | number | null | undefined | false | readonly Part[];

function render(part: Part): string {
  if (part === null || part === undefined || part === false) return '';
  if (part instanceof Html) return part.text;
  if (Array.isArray(part)) return part.map(render).join('');
  return escapeHtml(String(part));
}

/** `html\`<p>${name}</p>\``: strings and numbers are escaped, nested `html` fragments and arrays of them are not. */
export function html(strings: TemplateStringsArray, ...parts: Part[]): Html {
  let out = strings[0]!;
  parts.forEach((part, i) => (out += render(part) + strings[i + 1]!));
  return new Html(out);
}

const STYLE = `
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:0;color:#1f2329;background:#f5f6f8}
header{display:flex;align-items:center;gap:16px;padding:10px 24px;background:#1d4ed8;color:#fff}
header a{color:#fff}header form{margin-left:auto}
main{max-width:1080px;margin:20px auto;padding:0 24px}
section{background:#fff;border-radius:6px;padding:16px 20px;margin-bottom:16px}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #e5e6eb;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#f2f3f5;font-weight:600}dl{display:grid;grid-template-columns:9em 1fr;gap:6px 12px;margin:0}dt{color:#646a73}dd{margin:0}
label{display:block;margin:8px 0 4px}input,textarea{font:inherit;padding:6px;border:1px solid #c9cdd4;border-radius:4px;width:100%;box-sizing:border-box}
textarea{min-height:4em}button{font:inherit;padding:6px 16px;margin:8px 8px 0 0;border-radius:4px;border:1px solid #1d4ed8;background:#1d4ed8;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#1d4ed8}button.danger{background:#c62828;border-color:#c62828}
.notice{padding:10px 14px;border-radius:4px;margin-bottom:16px;background:#e8f3ff}.error{background:#fdecea;color:#8e1c1c}
.muted{color:#646a73}.login{max-width:360px;margin:60px auto}
.pages{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:8px}.pages img{display:block;max-width:160px;max-height:200px;border:1px solid #c9cdd4}
.failed{color:#8e1c1c;font-weight:600}
`;

// Built outside the html template so the element's text is exactly what the hash below covers.
const STYLE_ELEMENT = new Html(`<style>${STYLE}</style>`);

/**
 * The one stylesheet, allowed by its hash: the Content-Security-Policy needs no 'unsafe-inline'. Images come only from
 * the gateway itself (material pages, /review/pages/).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "img-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

export interface LayoutOptions {
  title: string;
  /** The signed-in operator's name and role, with the logout form's token. */
  user?: { label: string; csrf: string };
  notice?: { kind: 'info' | 'error'; text: string } | undefined;
}

export function layout(options: LayoutOptions, body: Html): Html {
  const { user, notice } = options;
  return html`<!doctype html>
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>${options.title} · 一窗通中心复核审批</title>
        ${STYLE_ELEMENT}
      </head>
      <body>
        <header>
          <strong>一窗通 · 中心复核审批</strong>${
            user
              ? html`<a href="/review/">待办案件</a><a href="/review/conflicts">登记冲突</a><span>${user.label}</span>
                  <form method="post" action="/review/logout">
                    <input type="hidden" name="_csrf" value="${user.csrf}" /><button class="secondary">退出</button>
                  </form>`
              : ''
          }
        </header>
        <main>
          ${notice ? html`<p class="notice${notice.kind === 'error' ? ' error' : ''}" role="${notice.kind === 'error' ? 'alert' : 'status'}">${notice.text}</p>` : ''}${body}
        </main>
      </body>
    </html>`;
}

const TIME = new Intl.DateTimeFormat('sv-SE', {
  timeZone: STATION_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});

/** An instant as the halls read it: local time of the stations, to the minute. */
export function localTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : TIME.format(date);
}
