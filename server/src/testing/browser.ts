import type { FastifyInstance } from 'fastify';

/** The value of the form field `name` in an HTML page. */
export const formField = (body: string, name: string) => {
  const found = new RegExp(`name="${name}" value="([^"]*)"`).exec(body);
  if (!found) throw new Error(`no field ${name} in page`);
  return found[1]!;
};

/** A browser of the review page: keeps its cookies, posts forms. */
export class Browser {
  private readonly cookies = new Map<string, string>();
  constructor(private readonly app: FastifyInstance) {}

  private keep(setCookie: string | string[] | undefined) {
    for (const line of [setCookie ?? []].flat()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const [name, value] = [pair!.slice(0, eq), pair!.slice(eq + 1)];
      if (value === '' || /Max-Age=0/.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  private get cookie() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async get(url: string) {
    const res = await this.app.inject({ method: 'GET', url, headers: { cookie: this.cookie } });
    this.keep(res.headers['set-cookie']);
    return res;
  }

  async post(url: string, fields: Record<string, string>) {
    const res = await this.app.inject({
      method: 'POST',
      url,
      headers: { cookie: this.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(fields).toString(),
    });
    this.keep(res.headers['set-cookie']);
    return res;
  }

  async login(station: string, username: string, password: string) {
    const page = await this.get('/review/login');
    return this.post('/review/login', { _csrf: formField(page.body, '_csrf'), station, username, password });
  }
}
