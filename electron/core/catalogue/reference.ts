import type { BusinessDate } from '#shared/domain/calendar/dates';
import { catalogueSchema, type Catalogue, type CatalogueItem, type CatalogueSubItem } from '#shared/domain/catalogue/schema';
import { rebuiltOnChange, type ReferenceInForce } from '../sync/reference-in-force';
import defaultCatalogue from '../../../resources/catalogue/default.json';

/** The business catalogue in force, and its sub-items by code. */
export interface CatalogueRef {
  current(): Catalogue;
  subItem(code: string): { item: CatalogueItem; sub: CatalogueSubItem } | undefined;
}

function indexCatalogue(catalogue: Catalogue): CatalogueRef {
  const index = new Map<string, { item: CatalogueItem; sub: CatalogueSubItem }>();
  for (const item of catalogue.items) for (const sub of item.subItems) index.set(sub.code, { item, sub });
  return { current: () => catalogue, subItem: (code) => index.get(code) };
}

/** The default catalogue shipped in resources/. */
export function loadDefaultCatalogue(): CatalogueRef {
  return indexCatalogue(catalogueSchema.parse(defaultCatalogue));
}

/**
 * The catalogue in force today: the version the central office published for this station's region (see
 * sync/reference-in-force.ts), or the shipped default where it has published none. Every call asks which version is
 * in force, so callers hold this one object across versions and days; each version is indexed once.
 */
export function catalogueInForce(reference: Pick<ReferenceInForce, 'version'>, today: () => BusinessDate): CatalogueRef {
  const shipped = loadDefaultCatalogue();
  const indexed = rebuiltOnChange((published: Catalogue | undefined) => (published ? indexCatalogue(published) : shipped));
  const inForce = () => indexed(reference.version('catalogue', today())?.data);
  return { current: () => inForce().current(), subItem: (code) => inForce().subItem(code) };
}
