import { catalogueSchema, type Catalogue, type CatalogueItem, type CatalogueSubItem } from '#shared/domain/catalogue/schema';
import defaultCatalogue from '../../../resources/catalogue/default.json';

/**
 * The business catalogue in force. Today the default shipped in resources/; the central
 * office will push edited versions as reference data, which replace it through `replace`.
 */
export interface CatalogueRef {
  current(): Catalogue;
  subItem(code: string): { item: CatalogueItem; sub: CatalogueSubItem } | undefined;
}

export function loadDefaultCatalogue(): CatalogueRef {
  const catalogue = catalogueSchema.parse(defaultCatalogue);
  const index = new Map<string, { item: CatalogueItem; sub: CatalogueSubItem }>();
  for (const item of catalogue.items) for (const sub of item.subItems) index.set(sub.code, { item, sub });
  return { current: () => catalogue, subItem: (code) => index.get(code) };
}
