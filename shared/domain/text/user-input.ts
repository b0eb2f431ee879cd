/** Helpers for reading what a teller types: full-width forms and character positions in messages. */

/**
 * Full-width forms (U+FF01–U+FF5E) come from Chinese input methods and from pasted documents: "１２３．４５",
 * "５１１１ｘ". Folding them to ASCII lets every parser accept what a teller actually types.
 */
export function toHalfWidth(input: string): string {
  return input.replace(/[\uFF01-\uFF5E]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

/** Ordinal position in Chinese, 1-based, as tellers count characters on a card ("第7位"). */
export function positionLabel(index: number): string {
  return `第${index + 1}位`;
}
