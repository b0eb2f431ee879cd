import iconv from 'iconv-lite';

import { concatBytes } from '../../bytes';
import { DeviceError } from '../../errors';
import {
  exchangeApdu,
  readRecord,
  selectByName,
  selectFile,
  statusWordError,
  SW_FILE_NOT_FOUND,
  SW_OK,
  SW_RECORD_NOT_FOUND,
  type ApduTransport,
} from '../apdu';
import type { SocialSecurityCardRead } from '../card-read';
import { verifyCardRead } from '../verify-card-read';
import { bcdDate, bcdToDigits } from './bcd';
import { EF05, EF05_RECORDS, EF06, EF06_RECORDS, SSSE_DF_NAME, type RecordLayout } from './ssse-layout';
import { parseRecordTlv } from './tlv';

export interface SsseReadOptions {
  /**
   * External authentication (PSAM or encryption machine) run before EF06 on generation 3.0 cards.
   * Without it, a 3.0 card that demands it fails with DEVICE_AUTH_REQUIRED.
   */
  externalAuthenticate?: (transport: ApduTransport, card: { cardIdentifier: string; specVersion: string }) => Promise<void>;
}

async function select(transport: ApduTransport, command: Uint8Array): Promise<void> {
  const { sw } = await exchangeApdu(transport, command);
  if (sw !== SW_OK) throw statusWordError(sw);
}

/** The record's value, or undefined for an optional record the card does not have. */
async function readField(transport: ApduTransport, layout: RecordLayout): Promise<Uint8Array | undefined> {
  const { data, sw } = await exchangeApdu(transport, readRecord(layout.record, layout.length + 2));
  if (sw === SW_RECORD_NOT_FOUND && layout.optional) return undefined;
  if (sw !== SW_OK) throw statusWordError(sw);
  return parseRecordTlv(data, layout.tag, layout.length);
}

/** `an` fields: left-aligned, padded with 00 (some issuers pad with spaces). */
function trimPadding(bytes: Uint8Array): Uint8Array {
  let end = bytes.length;
  while (end > 0 && (bytes[end - 1] === 0x00 || bytes[end - 1] === 0x20)) end--;
  return bytes.subarray(0, end);
}

function ascii(bytes: Uint8Array | undefined): string {
  return bytes ? Buffer.from(trimPadding(bytes)).toString('latin1') : '';
}

async function readFields(transport: ApduTransport, layouts: readonly RecordLayout[]): Promise<Array<Uint8Array | undefined>> {
  const values: Array<Uint8Array | undefined> = [];
  for (const layout of layouts) values.push(await readField(transport, layout));
  return values;
}

/**
 * Reads the cardholder from the SSSE application: select by DF name, EF05 (card data), EF06
 * (holder). The name is 姓名 followed by 姓名扩展, joined as bytes and then decoded as GB18030.
 */
export async function readSocialSecurityCard(transport: ApduTransport, options: SsseReadOptions = {}): Promise<SocialSecurityCardRead> {
  const selected = await exchangeApdu(transport, selectByName(SSSE_DF_NAME));
  if (selected.sw === SW_FILE_NOT_FOUND) {
    throw new DeviceError('DEVICE_UNSUPPORTED_CARD', '这张卡不是社会保障卡（未找到社保应用）');
  }
  if (selected.sw !== SW_OK) throw statusWordError(selected.sw);

  await select(transport, selectFile(EF05));
  const c = EF05_RECORDS;
  const [identifierBytes, versionBytes, issueBytes, expiryBytes, numberBytes] = await readFields(transport, [
    c.cardIdentifier,
    c.specVersion,
    c.issueDate,
    c.expiryDate,
    c.cardNumber,
  ]);
  const cardIdentifier = Buffer.from(identifierBytes ?? [])
    .toString('hex')
    .toUpperCase();
  const specVersion = ascii(versionBytes);

  if (specVersion.startsWith('3') && options.externalAuthenticate) {
    await options.externalAuthenticate(transport, { cardIdentifier, specVersion });
  }
  await select(transport, selectFile(EF06));
  const h = EF06_RECORDS;
  const [idBytes, name, nameExtension, sexBytes, ethnicity, birthPlace, birthDate] = await readFields(transport, [
    h.idNumber,
    h.name,
    h.nameExtension,
    h.sex,
    h.ethnicity,
    h.birthPlace,
    h.birthDate,
  ]);
  const empty = new Uint8Array();
  const nameBytes = concatBytes([trimPadding(name ?? empty), trimPadding(nameExtension ?? empty)]);
  const sexCode = ascii(sexBytes);
  return verifyCardRead<SocialSecurityCardRead>({
    kind: 'social_security',
    source: 'apdu',
    idNumber: ascii(idBytes),
    name: iconv.decode(Buffer.from(nameBytes), 'gb18030').trim(),
    sex: sexCode === '1' ? 'male' : sexCode === '2' ? 'female' : 'unknown',
    birthDate: bcdDate(birthDate ?? empty) ?? '',
    ethnicityCode: ethnicity ? bcdToDigits(ethnicity) || undefined : undefined,
    birthPlace: birthPlace ? bcdToDigits(birthPlace) || undefined : undefined,
    // Only the first 9 characters are the card number (SI_3rdCard).
    cardNumber: ascii(numberBytes).slice(0, 9),
    cardIdentifier,
    regionCode: cardIdentifier.slice(0, 6),
    specVersion,
    issueDate: issueBytes ? bcdDate(issueBytes) : undefined,
    expiryDate: expiryBytes ? bcdDate(expiryBytes) : undefined,
  });
}
