import type { Database } from 'better-sqlite3';
import type { Logger } from '#shared/log/logger';
import type { RegistryChange } from '#shared/sync/changes';
import { nameInitials } from '../registry/initials';
import type { PendingOps } from './pending-ops';
import { REGISTRY_FIELDS, type RegistryEntity } from './registry-fields';

const NATURAL_KEY = { person: 'id_number', employer: 'credit_code' } as const;

/**
 * Persons and employers from the station stream. The central office is the authority: a record without unsent local
 * changes takes the central state whole (fields, version, field versions). A record with unsent patches is re-based:
 * the central fields with the pending patches laid over them and the central version, so the screen keeps showing
 * the teller's edit until the central office has decided on it; its decision (merged, or a conflict record for the
 * inbox) comes down the stream after the push. A record whose creation is still unsent is left alone.
 */
export function registryApplier(db: Database, pending: PendingOps, logger: Logger) {
  const statements = (entity: RegistryEntity) => {
    const columns = Object.values(REGISTRY_FIELDS[entity]).map((f) => f.column);
    const all = [...columns, 'name_initials', 'version', 'field_versions'];
    return {
      upsert: db.prepare(
        `INSERT INTO ${entity} (id, ${all.join(', ')}, created_at, updated_at)
         VALUES (@id, ${all.map((c) => `@${c}`).join(', ')}, @at, @at)
         ON CONFLICT (id) DO UPDATE SET ${all.map((c) => `${c} = excluded.${c}`).join(', ')}, updated_at = excluded.updated_at`,
      ),
      exists: db.prepare<[string], { id: string }>(`SELECT id FROM ${entity} WHERE id = ?`),
      keyHolder: db.prepare<[string, string], { id: string }>(`SELECT id FROM ${entity} WHERE ${NATURAL_KEY[entity]} = ? AND id <> ?`),
    };
  };
  const sql = { person: statements('person'), employer: statements('employer') };
  const cardHolder = db.prepare<[string, string], { id: string }>('SELECT id FROM person WHERE card_number = ? AND id <> ?');

  return (entity: RegistryEntity, change: RegistryChange, at: string): void => {
    const s = sql[entity];
    const ops = pending(`${entity}.created`, `${entity}.patched`, `${entity}Id`, change.id);
    if (ops.some((op) => op.type.endsWith('.created'))) return;
    const fields: Record<string, unknown> = { ...change.fields };
    for (const op of ops) Object.assign(fields, op.payload.patch as Record<string, unknown>);

    const row: Record<string, unknown> = {
      id: change.id,
      version: change.version,
      field_versions: JSON.stringify(change.fieldVersions),
      at,
    };
    for (const [wire, { column }] of Object.entries(REGISTRY_FIELDS[entity])) row[column] = fields[wire] ?? null;
    row.name_initials = nameInitials(String(row.name ?? ''));

    if (!s.exists.get(change.id)) {
      // Registered twice (two counters offline): the central office keeps both and sends a duplicate conflict; the
      // local store cannot hold two records with one ID number, so this copy waits for the back office's merge.
      const key = row[NATURAL_KEY[entity]] as string;
      if (s.keyHolder.get(key, change.id)) {
        logger.warn('pulled record duplicates a local one: kept centrally only', { entity, id: change.id });
        return;
      }
    }
    if (entity === 'person') {
      if (row.card_number && cardHolder.get(row.card_number as string, change.id)) {
        logger.warn('pulled person has a card number another local person holds: card left out', { id: change.id });
        row.card_number = null;
      }
      if (row.employer_id && !sql.employer.exists.get(row.employer_id as string)) {
        logger.warn('pulled person names an employer this station does not hold', { id: change.id });
        row.employer_id = null;
      }
    }
    s.upsert.run(row);
  };
}
