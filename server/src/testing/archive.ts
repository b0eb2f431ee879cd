import { randomBytes } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { ChunkResponse } from '#shared/sync/files';
import type { OpEnvelope, PushResponse } from '#shared/sync/protocol';
import type { Answer } from '../client/sync-client';
import { sha256Hex } from '../crypto';
import { outbox, type Central, type Device } from './central';

/** A file as a station holds it: its bytes, named by their hash. */
export interface TestFile {
  bytes: Buffer;
  sha256: string;
  size: number;
}

export const fileOf = (bytes: Buffer): TestFile => ({ bytes, sha256: sha256Hex(bytes), size: bytes.length });
export const randomFile = (size: number): TestFile => fileOf(randomBytes(size));

const CASE_MATERIALS = [
  { code: 'ID', name: '居民身份证', status: 'received' as const },
  { code: 'PROOF', name: '变更证明', status: 'received' as const },
];

export async function pushOk(central: Central, device: Device, ops: OpEnvelope[]): Promise<PushResponse> {
  const res = await central.client.push(device, ops);
  if (!res.ok) throw new Error(JSON.stringify(res.body));
  return res.body;
}

/**
 * A station of `central` with one case accepted and sent to review (a 个人关键信息变更 in district 330106 by default),
 * and its outbox for the pages and volumes it goes on to report.
 */
export async function stationWithCase(central: Central, options: { region?: string } = {}) {
  const s = await central.station(options);
  const op = outbox();
  const caseId = uuidv7();
  const caseNo = `${s.code}-20260302-0001`;
  const teller = { operatorId: s.operators.teller };
  const accepted = await pushOk(central, s.device, [
    op(
      'case.accepted',
      {
        id: caseId,
        caseNo,
        subItemCode: 'D1',
        personId: null,
        employerId: null,
        form: { name: '王小明' },
        materials: CASE_MATERIALS,
        steps: ['accept', 'submit_for_review'],
        at: '2026-03-02T09:00:00.000Z',
      },
      teller,
    ),
  ]);
  if (accepted.results[0]?.outcome !== 'applied') throw new Error(JSON.stringify(accepted.results));
  // The station numbers pages within each material.
  const pages = new Map<string, number>();

  /** Attaches `file` as the next page of `materialCode`, as `pages.attach` writes it to the outbox; the page id. */
  async function attach(
    file: Pick<TestFile, 'sha256' | 'size'>,
    materialCode = 'ID',
    mime: 'image/jpeg' | 'application/pdf' = 'image/jpeg',
  ) {
    const pageId = uuidv7();
    const seq = (pages.get(materialCode) ?? 0) + 1;
    pages.set(materialCode, seq);
    const res = await pushOk(central, s.device, [
      op(
        'case.page_attached',
        { pageId, caseId, materialCode, sha256: file.sha256, size: file.size, mime, seq, at: new Date().toISOString() },
        teller,
      ),
    ]);
    if (res.results[0]?.outcome !== 'applied') throw new Error(JSON.stringify(res.results));
    return pageId;
  }

  async function remove(pageId: string) {
    return pushOk(central, s.device, [op('case.page_removed', { pageId, caseId, at: new Date().toISOString() }, teller)]);
  }

  return { s, op, caseId, caseNo, teller, attach, remove };
}

/**
 * Sends `file` from `offset` in chunks of `chunkSize`, as a device does: on from each answer's offset, and from the
 * server's offset after OFFSET_MISMATCH. The last answer: `stored`, or the first other refusal.
 */
export async function upload(
  client: Central['client'],
  device: Device,
  file: TestFile,
  options: { offset?: number; chunkSize?: number } = {},
): Promise<Answer<ChunkResponse>> {
  const chunkSize = options.chunkSize ?? 64 * 1024;
  let offset = options.offset ?? 0;
  for (;;) {
    const bytes = file.bytes.subarray(offset, offset + chunkSize);
    const res = await client.uploadChunk(device, file.sha256, { offset, size: file.size, chunk: sha256Hex(bytes) }, bytes);
    if (res.ok && res.body.state === 'stored') return res;
    if (res.ok) offset = res.body.offset;
    else if (res.body.error.code === 'OFFSET_MISMATCH' && res.body.error.offset !== undefined) offset = res.body.error.offset;
    else return res;
  }
}
