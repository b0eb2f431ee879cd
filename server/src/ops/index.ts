import type { OperationPayload, OperationType } from '#shared/sync/operations';
import { archiveFiled, archiveSealed, pageAttached, pageRemoved } from './archive';
import { caseAccepted, caseIntent } from './cases';
import { applied, type OpHandler } from './handler';
import { employerCreated, employerPatched, personCreated, personPatched } from './registry';
import { operatorCreated, stationUpdated } from './station-ops';

/** Audit-like operations: append-only facts, kept in the op log and changing nothing else. They never conflict. */
const fact: OpHandler<unknown> = { apply: () => applied };

/** One handler per operation type; a type without one does not compile. */
export const HANDLERS: { [T in OperationType]: OpHandler<OperationPayload<T>> } = {
  'operator.login': fact,
  'operator.logout': fact,
  'audit.login_failed': fact,
  'audit.unlock_failed': fact,
  'audit.person_revealed': fact,
  'audit.sod_refused': fact,
  'case.notice_issued': fact,
  'queue.events': fact,
  'queue.settings': fact,
  'rating.recorded': fact,
  'rating.follow_up_closed': fact,
  'hall.device_key_rotated': fact,
  'hall.device_added': fact,
  'hall.device_rekeyed': fact,
  'hall.device_revoked': fact,
  'hall.link_set': fact,
  'queue.visits_handed_over': fact,
  'print.resolved': fact,
  'document.reprinted': fact,
  'device.settings_updated': fact,
  'station.backup_settings': fact,
  'audit.backup_created': fact,
  'audit.backup_key_exported': fact,
  'operator.created': operatorCreated,
  'station.updated': stationUpdated,
  'person.created': personCreated,
  'person.patched': personPatched,
  'employer.created': employerCreated,
  'employer.patched': employerPatched,
  'case.accepted': caseAccepted,
  'case.intent': caseIntent,
  'case.page_attached': pageAttached,
  'case.page_removed': pageRemoved,
  'archive.filed': archiveFiled,
  'archive.sealed': archiveSealed,
};
