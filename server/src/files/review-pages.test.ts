import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { putOperator } from '../reference/publish';
import { randomFile, stationWithCase, upload, type TestFile } from '../testing/archive';
import { Browser } from '../testing/browser';
import { BACKENDS } from '../testing/central';
import { centralSuite } from '../testing/suite';

const PASSWORD = 'wu-pass-1';

describe.each(BACKENDS)('material pages on the review page on %s', (backend) => {
  const lines: string[] = [];
  const suite = centralSuite(backend, { logger: pino({ level: 'info' }, { write: (line: string) => void lines.push(line) }) });
  const logged = (msg: string) => lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === msg);

  /** A reviewer of a back office of `region`, signed in. */
  async function reviewer(region: string) {
    const office = await suite.central.station({ region, kind: 'central' });
    const account = { stationCode: office.code, username: 'wu_fuhe', displayName: '吴复核', role: 'reviewer' as const };
    await putOperator(suite.db.store, { ...account, password: PASSWORD }, new Date(), uuidv7);
    const browser = new Browser(suite.central.app);
    expect((await browser.login(office.code, 'wu_fuhe', PASSWORD)).statusCode).toBe(303);
    return browser;
  }

  const damage = (file: TestFile) => {
    const bytes = Buffer.from(file.bytes);
    bytes[7]! ^= 0x10;
    writeFileSync(join(suite.db.blobDir, file.sha256.slice(0, 2), file.sha256), bytes);
  };

  it('shows the pages of each material that arrived, says which did not or failed their hash, and never serves bad bytes', async () => {
    const c = await stationWithCase(suite.central);
    const [photo, pdf, waiting, broken, later, gone] = [2000, 3000, 1000, 1500, 1200, 900].map(randomFile) as TestFile[];
    const ids = {
      photo: await c.attach(photo!, 'ID'),
      waiting: await c.attach(waiting!, 'ID'),
      broken: await c.attach(broken!, 'ID'),
      pdf: await c.attach(pdf!, 'PROOF', 'application/pdf'),
      later: await c.attach(later!, 'PROOF'),
      gone: await c.attach(gone!, 'PROOF'),
    };
    for (const f of [photo!, pdf!, broken!, later!, gone!]) await upload(suite.central.client, c.s.device, f);
    await c.remove(ids.gone);
    damage(broken!);

    const browser = await reviewer('330100');
    const page = await browser.get(`/review/cases/${c.caseId}`);
    expect(page.statusCode).toBe(200);
    const body = page.body;
    expect(body).toContain(`<img src="/review/pages/${ids.photo}" alt="居民身份证 第1页"`);
    expect(body).toContain(`<a href="/review/pages/${ids.pdf}">第1页（PDF）</a>`);
    expect(body).toContain('第2页：影像尚未上传');
    expect(body).toContain('第3页：影像校验失败');
    expect(body).not.toContain(`/review/pages/${ids.waiting}`);
    expect(body).not.toContain(`/review/pages/${ids.broken}`);
    // A page the station removed is not shown at all.
    expect(body).not.toContain(`/review/pages/${ids.gone}`);
    expect(body).toContain(`<img src="/review/pages/${ids.later}" alt="变更证明 第2页"`);
    expect(page.headers['content-security-policy']).toContain("img-src 'self'");
    expect(logged('stored file failed its hash')).toEqual([
      expect.objectContaining({ sha256: broken!.sha256, pageId: ids.broken, caseId: c.caseId, problem: 'corrupt' }),
    ]);

    const image = await browser.get(`/review/pages/${ids.photo}`);
    expect(image.statusCode).toBe(200);
    expect(image.headers['content-type']).toBe('image/jpeg');
    expect(image.headers['cache-control']).toBe('private, max-age=3600');
    expect(image.headers['x-content-type-options']).toBe('nosniff');
    expect(image.rawPayload.equals(photo!.bytes)).toBe(true);
    const document = await browser.get(`/review/pages/${ids.pdf}`);
    expect(document.headers['content-type']).toBe('application/pdf');
    expect(document.headers['content-disposition']).toBe(`attachment; filename="${c.caseNo}-PROOF-1.pdf"`);
    expect(document.rawPayload.equals(pdf!.bytes)).toBe(true);

    const notYet = await browser.get(`/review/pages/${ids.waiting}`);
    expect(notYet.statusCode).toBe(404);
    expect(notYet.body).toContain('影像尚未上传');
    expect(notYet.headers['cache-control']).toBe('no-store');
    // Damaged after the case page was shown: the image request finds it and sends an error page, not the bytes.
    damage(later!);
    const failed = await browser.get(`/review/pages/${ids.later}`);
    expect(failed.statusCode).toBe(409);
    expect(failed.headers['content-type']).toContain('text/html');
    expect(failed.body).toContain('影像校验失败');
    expect(logged('stored file failed its hash').map((l) => l.pageId)).toEqual([ids.broken, ids.later]);
    expect((await browser.get(`/review/pages/${ids.gone}`)).statusCode).toBe(404);
  });

  it('serves a page only to a signed-in reviewer of a region covering the case', async () => {
    const c = await stationWithCase(suite.central);
    const photo = randomFile(500);
    const pageId = await c.attach(photo);
    await upload(suite.central.client, c.s.device, photo);

    const anonymous = await new Browser(suite.central.app).get(`/review/pages/${pageId}`);
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toBe('/review/login');
    const elsewhere = await reviewer('320100');
    const refused = await elsewhere.get(`/review/pages/${pageId}`);
    expect(refused.statusCode).toBe(404);
    expect(refused.body).toContain('不属于本中心辖区');
    expect(refused.rawPayload.includes(photo.bytes)).toBe(false);
    expect((await elsewhere.get('/review/pages/not*an*id')).statusCode).toBe(404);
    expect((await (await reviewer('330000')).get(`/review/pages/${pageId}`)).statusCode).toBe(200);
  });
});
