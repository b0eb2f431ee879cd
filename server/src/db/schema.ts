import type { Generated, Selectable } from 'kysely';

/**
 * The central store, the same tables on SQLite and PostgreSQL (db/migrations). Instants are ISO text, JSON is text,
 * booleans are 0/1 integers: what both engines hold alike, so one query layer serves both.
 */
export interface DB {
  station: StationTable;
  enrolment: EnrolmentTable;
  device: DeviceTable;
  nonce: NonceTable;
  operator: OperatorTable;
  op_log: OpLogTable;
  change: ChangeTable;
  stream_head: StreamHeadTable;
  case_file: CaseTable;
  registry: RegistryTable;
  conflict: ConflictTable;
  reference_version: ReferenceVersionTable;
  day_close: DayCloseTable;
  review_session: ReviewSessionTable;
  login_throttle: LoginThrottleTable;
  page: PageTable;
  archive_volume: ArchiveVolumeTable;
  blob: BlobTable;
  blob_upload: BlobUploadTable;
}

export interface StationTable {
  code: string;
  name: string;
  region_code: string;
  kind: 'station' | 'central';
  /** The station's own settings (windows, idle lock) as its last `station.updated` said. */
  settings: string;
  created_at: string;
  updated_at: string;
}

export interface EnrolmentTable {
  /** SHA-256 of the normalised code: the code itself is shown once and never stored. */
  code_hash: string;
  station_code: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  device_id: string | null;
}

export interface DeviceTable {
  id: string;
  station_code: string;
  name: string;
  /** Ed25519 public key, 32 raw bytes in base64. */
  public_key: string;
  enrolled_at: string;
  revoked_at: string | null;
  /** The highest outbox sequence applied for this device; written in the same transaction as the batch. */
  last_seq: number;
  last_seen_at: string | null;
}

export interface NonceTable {
  device_id: string;
  nonce: string;
  /** Milliseconds since the epoch after which the nonce may be forgotten (its timestamp is stale by then). */
  expires_at: number;
}

export interface OperatorTable {
  id: string;
  station_code: string;
  username: string;
  display_name: string;
  role: string;
  rights: string;
  password_verifier: string;
  disabled: number;
  version: number;
  updated_at: string;
}

/** Every operation the server has taken from a device, with what became of it: the append-only facts. */
export interface OpLogTable {
  op_id: string;
  device_id: string;
  seq: number;
  station_code: string;
  type: string;
  payload: string;
  operator_id: string | null;
  window_no: number | null;
  device_at: string;
  received_at: string;
  outcome: 'applied' | 'refused' | 'conflicted';
  code: string | null;
  reason: string | null;
  message: string | null;
  /** For `conflicted`: the conflict records created, as JSON. */
  conflicts: string | null;
}

export interface ChangeTable {
  seq: Generated<number>;
  stream: string;
  scope: string;
  entity: string;
  entity_id: string;
  data: string;
  /** First four bytes of SHA-256 over the change's digest input, as an unsigned integer. */
  digest: number;
  /** Count and checksum of the scope up to and including this change: a checkpoint costs one index lookup. */
  cum_count: number;
  cum_checksum: number;
  at: string;
}

export interface StreamHeadTable {
  stream: string;
  scope: string;
  row_count: number;
  checksum: number;
}

export interface CaseTable {
  id: string;
  station_code: string;
  case_no: string;
  business_date: string;
  item_code: string;
  sub_item_code: string;
  sub_item_name: string;
  review_level: number;
  status: string;
  accepted_by: string;
  reviewed_by: string;
  accepted_operator: string;
  person_id: string | null;
  employer_id: string | null;
  form: string;
  materials: string;
  amount_fen: number | null;
  last_reason: string | null;
  version: number;
  /** Transitions so far; their history travels in the change log and the op log. */
  event_count: number;
  accepted_at: string;
  updated_at: string;
}

/** Persons and employers: their fields as JSON, with the version at which each field last changed and by whom. */
export interface RegistryTable {
  entity: 'person' | 'employer';
  id: string;
  station_code: string;
  /** ID number or credit code. */
  natural_key: string;
  fields: string;
  version: number;
  field_versions: string;
  field_writers: string;
  created_at: string;
  updated_at: string;
}

export interface ConflictTable {
  id: string;
  kind: 'field' | 'duplicate';
  entity: string;
  entity_id: string;
  field: string;
  base_version: number | null;
  server_value: string;
  device_value: string;
  station_code: string;
  device_id: string;
  op_id: string;
  created_at: string;
  resolved_at: string | null;
  /** `server` or `device`: the value a back-office reviewer chose on the review page. */
  resolution: string | null;
  /** The central operator who chose it. */
  resolved_by: string | null;
}

export interface ReferenceVersionTable {
  kind: string;
  region: string;
  version: number;
  effective_from: string;
  data: string;
  published_at: string;
}

export interface DayCloseTable {
  id: string;
  station_code: string;
  business_date: string;
  device_id: string;
  status: string;
  totals: string;
  differences: string;
  at: string;
}

/** A signed-in reviewer or approver of the review page; the cookie holds the id, the table only its hash. */
export interface ReviewSessionTable {
  id_hash: string;
  operator_id: string;
  station_code: string;
  /** The token every form of the session posts back. */
  csrf: string;
  /** Milliseconds since the epoch. */
  created_at: number;
  expires_at: number;
}

/** Failed review-page logins per account and per client address, and the lock they led to. */
export interface LoginThrottleTable {
  key: string;
  failures: number;
  /** When the failures being counted began (ms). */
  window_start: number;
  /** 0, or until when logins are refused (ms). */
  locked_until: number;
}

/** A material page a station attached to one of its cases (`case.page_attached`); its bytes are a `blob` by hash. */
export interface PageTable {
  id: string;
  case_id: string;
  station_code: string;
  material_code: string;
  sha256: string;
  size: number;
  mime: string;
  /** Order within the material, as the station numbered it. */
  seq: number;
  /** When the station attached it (the station's clock, information only). */
  attached_at: string;
  /** When the station removed it (`case.page_removed`); the row stays, and no longer references its file. */
  removed_at: string | null;
}

/** A case's volume as the station filed (归档) and sealed (封存) it. */
export interface ArchiveVolumeTable {
  case_id: string;
  station_code: string;
  /** The station's 卷内目录 document of the latest filing. */
  document_id: string;
  page_count: number;
  filed_at: string;
  filed_by: string | null;
  sealed_at: string | null;
  /** Null for a seal the station's scheduler made. */
  sealed_by: string | null;
}

/** A file received whole and verified against its name; the bytes are in the blob store. */
export interface BlobTable {
  sha256: string;
  size: number;
  mime: string | null;
  stored_at: string;
}

/**
 * An upload under way, per station and file. `received` is how many bytes are durably in the partial file (bytes
 * beyond it are ignored); `lease` is held by the one request writing to the partial, until `lease_until` (ms).
 */
export interface BlobUploadTable {
  station_code: string;
  sha256: string;
  size: number;
  received: number;
  lease: string | null;
  lease_until: number;
  updated_at: string;
}

export type StationRow = Selectable<StationTable>;
export type DeviceRow = Selectable<DeviceTable>;
export type OperatorRow = Selectable<OperatorTable>;
export type CaseRow = Selectable<CaseTable>;
export type OpLogRow = Selectable<OpLogTable>;
export type ConflictRow = Selectable<ConflictTable>;
export type RegistryRow = Selectable<RegistryTable>;
export type PageRow = Selectable<PageTable>;
export type ArchiveVolumeRow = Selectable<ArchiveVolumeTable>;
