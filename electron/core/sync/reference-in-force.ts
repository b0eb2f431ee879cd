import type { Database } from 'better-sqlite3';
import type { z } from 'zod';
import type { BusinessDate } from '#shared/domain/calendar/dates';
import { createWorkingCalendar, type HolidayYear, type WorkingCalendar } from '#shared/domain/calendar/working-days';
import { regionCovers, regionSpecificity } from '#shared/domain/region';
import type { Logger } from '#shared/log/logger';
import { REFERENCE_SCHEMAS, type ReferenceKind } from '#shared/sync/reference';
import { onReferenceApplied } from './sync-store';

export type ReferenceData<K extends ReferenceKind> = z.output<(typeof REFERENCE_SCHEMAS)[K]>;

/** One version the central office published, whole: consumers take all of it or none of it. */
export interface VersionInForce<K extends ReferenceKind> {
  readonly kind: K;
  readonly region: string;
  readonly version: number;
  readonly effectiveFrom: BusinessDate;
  readonly data: ReferenceData<K>;
}

export interface ReferenceInForce {
  /** The version of `kind` (published whole) in force for this station on `date`; null when none has been published. */
  version<K extends ReferenceKind>(kind: K, date: BusinessDate): VersionInForce<K> | null;
  /** For kinds published in parts (a holiday table per year): the version in force of each part. */
  versions<K extends ReferenceKind>(kind: K, date: BusinessDate): readonly VersionInForce<K>[];
  /** Calls `listener` inside the transaction of a page that brought versions, once what it returns reflects them. */
  onChange(listener: () => void): () => void;
}

/**
 * Kinds whose versions each cover one part of the data: a holiday table is one year's, so publishing 2027 does not
 * retire 2026. A version is in force for its own part only.
 */
const PART_OF: { readonly [K in ReferenceKind]?: (data: ReferenceData<K>) => string } = { holidays: (table) => String(table.year) };

interface Candidate {
  part: string;
  version: VersionInForce<ReferenceKind>;
}

interface Row {
  region: string;
  version: number;
  effective_from: string;
  data: string;
}

/**
 * For a kind and a business date, the reference version in force for this station (docs/sync-protocol.md §8): among
 * the versions of its region and of every region covering it, effective on or before the date, the most specific
 * region, then the latest `effectiveFrom`, then the highest version — as the central office chooses when it checks
 * the station's work (server/src/reference/catalogue.ts), so both sides always use the same version.
 */
export function referenceInForce(deps: { db: Database; region: () => string; logger: Logger }): ReferenceInForce {
  const { db } = deps;
  const rows = db.prepare<[string], Row>('SELECT region, version, effective_from, data FROM sync_reference WHERE kind = ?');
  // A stored version never changes (pages insert or ignore), so it is parsed once: the same data object every time,
  // which is what lets consumers rebuild what they derive from it only when the version changes.
  const parsed = new Map<string, { text: string; version: VersionInForce<ReferenceKind> | null }>();
  const ranked = new Map<ReferenceKind, { region: string; candidates: readonly Candidate[] }>();
  const listeners = new Set<() => void>();
  // Set by a page that brought versions, until a read outside any transaction shows that the page has ended: it may
  // still roll back, so nothing read inside it is kept.
  let pageOpen = false;

  function versionOf(kind: ReferenceKind, row: Row): VersionInForce<ReferenceKind> | null {
    const key = `${kind}:${row.region}:${row.version}`;
    const known = parsed.get(key);
    if (known?.text === row.data) return known.version;
    const data = REFERENCE_SCHEMAS[kind].safeParse(JSON.parse(row.data));
    // Checked when stored; a version a later release's schema refuses is passed over whole rather than half used.
    if (!data.success) deps.logger.warn('stored reference version fails its schema: not used', { key, issues: data.error.issues.length });
    const version = data.success
      ? { kind, region: row.region, version: row.version, effectiveFrom: row.effective_from, data: data.data }
      : null;
    parsed.set(key, { text: row.data, version });
    return version;
  }

  function candidates(kind: ReferenceKind): readonly Candidate[] {
    const region = deps.region();
    const cached = ranked.get(kind);
    if (cached?.region === region) return cached.candidates;
    const partOf = (PART_OF[kind] ?? (() => '')) as (data: unknown) => string;
    const found = rows
      .all(kind)
      .filter((row) => regionCovers(row.region, region))
      .flatMap((row) => versionOf(kind, row) ?? [])
      .sort(
        (a, b) =>
          regionSpecificity(b.region) - regionSpecificity(a.region) ||
          b.effectiveFrom.localeCompare(a.effectiveFrom) ||
          b.version - a.version,
      )
      .map((version) => ({ part: partOf(version.data), version }));
    if (pageOpen && db.inTransaction) return found;
    pageOpen = false;
    ranked.set(kind, { region, candidates: found });
    return found;
  }

  function versions<K extends ReferenceKind>(kind: K, date: BusinessDate): VersionInForce<K>[] {
    const chosen = new Map<string, VersionInForce<K>>();
    for (const { part, version } of candidates(kind)) {
      if (version.effectiveFrom <= date && !chosen.has(part)) chosen.set(part, version as VersionInForce<K>);
    }
    return [...chosen.values()];
  }

  onReferenceApplied(db, () => {
    ranked.clear();
    pageOpen = true;
    listeners.forEach((listener) => listener());
  });

  return {
    version: (kind, date) => versions(kind, date)[0] ?? null,
    versions,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/**
 * `today` read once per synchronous turn. A handler asks for the catalogue more than once, and a promised date reads
 * the calendar many times: with one date per turn each sees one version, even when the day rolls over meanwhile.
 */
export function datePerTurn(today: () => BusinessDate): () => BusinessDate {
  let pinned: BusinessDate | null = null;
  return () => {
    if (pinned === null) {
      pinned = today();
      queueMicrotask(() => (pinned = null));
    }
    return pinned;
  };
}

/**
 * What a consumer builds from versions in force (an index, a calendar, a parameter set), built again only when they
 * change: each version, and its data, is one object, so they compare by identity.
 */
export function rebuiltOnChange<A extends readonly unknown[], T>(build: (...from: A) => T): (...from: A) => T {
  let last: { from: A; value: T } | undefined;
  return (...from) => {
    if (!last || last.from.length !== from.length || last.from.some((x, i) => x !== from[i])) last = { from, value: build(...from) };
    return last.value;
  };
}

/**
 * The working calendar in force today, read as a plain WorkingCalendar (promised dates, follow-up deadlines): the
 * tables shipped with the app, each replaced by the published table of its year in force.
 */
export function calendarInForce(
  reference: Pick<ReferenceInForce, 'versions'>,
  today: () => BusinessDate,
  shipped: readonly HolidayYear[],
): WorkingCalendar {
  const build = rebuiltOnChange((...published: HolidayYear[]) => createWorkingCalendar([...shipped, ...published]));
  const current = () => build(...reference.versions('holidays', today()).map((v) => v.data));
  return {
    get years() {
      return current().years;
    },
    get holidays() {
      return current().holidays;
    },
    get makeUpWorkdays() {
      return current().makeUpWorkdays;
    },
  };
}
