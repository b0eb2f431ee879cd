import { validateCreditCode } from '#shared/domain/identity/credit-code';
import { normalizeIdNumber, validateIdNumber } from '#shared/domain/identity/resident-id';

/** What a teller typed into the one search box, classified so each kind uses its own index. */
export type SearchQuery =
  | { kind: 'id_number'; value: string }
  | { kind: 'id_prefix'; value: string }
  | { kind: 'card_number'; value: string }
  | { kind: 'phone'; value: string }
  | { kind: 'credit_code'; value: string }
  | { kind: 'name_prefix'; value: string }
  | { kind: 'initials'; value: string };

export function classifyQuery(raw: string): SearchQuery {
  const text = raw.trim().replace(/\s+/g, '');
  const id = validateIdNumber(text);
  // A 15-digit legacy number is looked up by its 18-digit upgrade, as it is stored.
  if (id.ok) return { kind: 'id_number', value: id.value.idNumber };
  const upper = normalizeIdNumber(text);
  if (/^\d{17}[\dX]$/.test(upper)) return { kind: 'id_number', value: upper };
  if (validateCreditCode(text).ok) return { kind: 'credit_code', value: text.toUpperCase() };
  if (/^1\d{10}$/.test(text)) return { kind: 'phone', value: text };
  if (/^\d{6,17}$/.test(text)) return { kind: 'id_prefix', value: text };
  if (/^[A-Za-z]\d[A-Za-z0-9]{7}$/.test(text)) return { kind: 'card_number', value: text.toUpperCase() };
  if (/^[a-z]+$/i.test(text)) return { kind: 'initials', value: text.toLowerCase() };
  return { kind: 'name_prefix', value: text };
}

/** Upper bound for a prefix range scan: every string starting with `prefix` sorts below it (BINARY collation). */
export function prefixEnd(prefix: string): string {
  return `${prefix}\u{10FFFF}`;
}
