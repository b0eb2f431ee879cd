import { createHash } from 'node:crypto';
import type { AuditClass } from '#shared/api/audit';

export type { AuditClass };

/** The chain starts from this value so the first entry is hashed like every other one. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields of an audit entry that its hash covers. */
export interface AuditFields {
  id: string;
  at: string;
  stationCode: string;
  windowNo: number | null;
  operatorId: string | null;
  action: string;
  class: AuditClass;
  entityType: string | null;
  entityId: string | null;
  beforeJson: string | null;
  afterJson: string | null;
}

/**
 * hash = SHA-256(prev_hash || canonical entry). The field order is fixed here, so
 * changing, removing or reordering any entry breaks every hash after it.
 */
export function auditHash(prevHash: string, e: AuditFields): string {
  const canonical = JSON.stringify([
    e.id,
    e.at,
    e.stationCode,
    e.windowNo,
    e.operatorId,
    e.action,
    e.class,
    e.entityType,
    e.entityId,
    e.beforeJson,
    e.afterJson,
  ]);
  return createHash('sha256').update(prevHash).update('\n').update(canonical).digest('hex');
}
