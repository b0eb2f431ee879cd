import type { Kysely } from 'kysely';
import { regionSpecificity } from '#shared/domain/region';
import { catalogueSchema, type Catalogue, type CatalogueItem, type CatalogueSubItem } from '#shared/domain/catalogue/schema';
import defaultCatalogue from '../../../resources/catalogue/default.json';
import type { DB } from '../db/schema';
import { coveringRegions } from './regions';

export interface CatalogueIndex {
  readonly version: string;
  subItem(code: string): { item: CatalogueItem; sub: CatalogueSubItem } | undefined;
}

function indexCatalogue(catalogue: Catalogue): CatalogueIndex {
  const bySub = new Map<string, { item: CatalogueItem; sub: CatalogueSubItem }>();
  for (const item of catalogue.items) for (const sub of item.subItems) bySub.set(sub.code, { item, sub });
  return { version: catalogue.version, subItem: (code) => bySub.get(code) };
}

let shipped: CatalogueIndex | undefined;
/** The catalogue shipped in resources/, in force wherever none has been published. */
const shippedCatalogue = () => (shipped ??= indexCatalogue(catalogueSchema.parse(defaultCatalogue)));

// Published versions never change, so a parsed one can be kept by every instance.
const published = new Map<string, CatalogueIndex>();

/**
 * The catalogues that may apply to a station of `region`, and a picker for a business date: the most specific
 * region with a version in force that day, its latest effective version.
 */
export async function cataloguesFor(db: Kysely<DB>, region: string): Promise<(businessDate: string) => CatalogueIndex> {
  const versions = await db
    .selectFrom('reference_version')
    .select(['region', 'version', 'effective_from'])
    .where('kind', '=', 'catalogue')
    .where('region', 'in', coveringRegions(region))
    .execute();
  const key = (v: { region: string; version: number }) => `${v.region}:${v.version}`;
  const missing = versions.filter((v) => !published.has(key(v)));
  for (const v of missing) {
    const row = await db
      .selectFrom('reference_version')
      .select('data')
      .where('kind', '=', 'catalogue')
      .where('region', '=', v.region)
      .where('version', '=', v.version)
      .executeTakeFirstOrThrow();
    published.set(key(v), indexCatalogue(catalogueSchema.parse(JSON.parse(row.data))));
  }
  const ranked = [...versions].sort(
    (a, b) =>
      regionSpecificity(b.region) - regionSpecificity(a.region) ||
      b.effective_from.localeCompare(a.effective_from) ||
      b.version - a.version,
  );
  return (businessDate) => {
    const inForce = ranked.find((v) => v.effective_from <= businessDate);
    return inForce ? published.get(key(inForce))! : shippedCatalogue();
  };
}
