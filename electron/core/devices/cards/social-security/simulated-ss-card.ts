import { createHash, randomBytes } from 'node:crypto';

import iconv from 'iconv-lite';

import { concatBytes } from '../../bytes';
import type { DemoPerson } from '../../demo-people';
import {
  SW_CLA_NOT_SUPPORTED,
  SW_FILE_NOT_FOUND,
  SW_INS_NOT_SUPPORTED,
  SW_NO_CURRENT_EF,
  SW_OK,
  SW_RECORD_NOT_FOUND,
  SW_SECURITY_NOT_SATISFIED,
  type ApduTransport,
} from '../apdu';
import { digitsToBcd } from './bcd';
import { EF05, EF05_RECORDS, EF06, EF06_RECORDS, SSSE_DF_NAME, SSSE_RID, type RecordLayout } from './ssse-layout';
import { encodeRecordTlv } from './tlv';

const SW_WRONG_LENGTH = 0x6700;
const SW_CONDITIONS_NOT_SATISFIED = 0x6985;
const SW_AUTH_FAILED = 0x6300;

/** The key the simulated PSAM and card share; real cards use SM4/SSF33 keys held in a PSAM. */
const SIMULATED_AUTH_KEY = Uint8Array.of(0x59, 0x43, 0x2d, 0x53, 0x53, 0x53, 0x45, 0x33);

export interface SsCardHolder {
  name: string;
  idNumber: string;
  sex: 'male' | 'female';
  birthDate: string;
  ethnicityCode?: string;
  cardNumber: string;
  issueDate: string;
  expiryDate: string;
}

export interface SimulatedSsCardOptions {
  holder: SsCardHolder;
  generation: 2 | 3;
  /** Most bytes announced per 61xx, to make the reader loop over GET RESPONSE; 255 by default. */
  responseChunk?: number;
}

interface StoredRecord {
  tag: number;
  value: Uint8Array;
}

function ymd(date: string): string {
  return date.replaceAll('-', '');
}

function padded(bytes: Uint8Array, length: number): Uint8Array {
  if (bytes.length > length) throw new RangeError(`${bytes.length} bytes do not fit in ${length}`);
  const out = new Uint8Array(length);
  out.set(bytes);
  return out;
}

function an(text: string, length: number): Uint8Array {
  return padded(Uint8Array.from(Buffer.from(text, 'latin1')), length);
}

/** 姓名 holds 30 GB18030 bytes, cut at a character boundary; the rest goes to 姓名扩展. */
function splitName(name: string): [Uint8Array, Uint8Array] {
  let head = '';
  let headBytes = 0;
  let rest = '';
  for (const char of name) {
    const size = iconv.encode(char, 'gb18030').length;
    if (rest === '' && headBytes + size <= EF06_RECORDS.name.length) {
      head += char;
      headBytes += size;
    } else {
      rest += char;
    }
  }
  return [
    padded(iconv.encode(head, 'gb18030'), EF06_RECORDS.name.length),
    padded(iconv.encode(rest, 'gb18030'), EF06_RECORDS.nameExtension.length),
  ];
}

function xor8(a: Uint8Array, b: Uint8Array): Uint8Array {
  return Uint8Array.from({ length: 8 }, (_, i) => (a[i] ?? 0) ^ (b[i] ?? 0));
}

/** What a PSAM holding the simulator's key would answer to a challenge. */
export function simulatedPsamCryptogram(challenge: Uint8Array): Uint8Array {
  return xor8(challenge, SIMULATED_AUTH_KEY);
}

/**
 * A social security card answering APDUs like a contact card under T=0: SSSE selected by DF name with
 * its FCI behind 61xx, EF05/EF06 records as TLV, 6Cxx for a wrong Le, 6982 for EF06 on a 3.0 card
 * until GET CHALLENGE + EXTERNAL AUTHENTICATE, and any status word on demand.
 */
export class SimulatedSocialSecurityCard implements ApduTransport {
  readonly generation: 2 | 3;
  readonly atr: Uint8Array;
  /** Every command received, for tests that check the sequence. */
  readonly received: Uint8Array[] = [];
  private readonly files: Map<number, Map<number, StoredRecord>>;
  private readonly fci: Uint8Array;
  private readonly responseChunk: number;
  private readonly injected: number[] = [];
  private applicationSelected = false;
  private currentEf: number | undefined;
  private pending: Uint8Array | undefined;
  private challenge: Uint8Array | undefined;
  private authenticated = false;

  constructor(options: SimulatedSsCardOptions) {
    this.generation = options.generation;
    this.responseChunk = options.responseChunk ?? 255;
    this.atr = concatBytes([Uint8Array.of(0x3b, 0x6a, 0x00, 0x00), Buffer.from(`YCSIM-SSC${options.generation}`, 'latin1')]);
    this.files = this.buildFiles(options.holder);
    // 6F: FCI; 84: DF name; A5: proprietary data with 9F0C 03 86 01 03 (algorithm flag, hardware.md §1.1).
    const proprietary = Uint8Array.of(0xa5, 0x06, 0x9f, 0x0c, 0x03, 0x86, 0x01, 0x03);
    const body = concatBytes([Uint8Array.of(0x84, SSSE_DF_NAME.length), SSSE_DF_NAME, proprietary]);
    this.fci = concatBytes([Uint8Array.of(0x6f, body.length), body]);
  }

  static fromPerson(person: DemoPerson, options: Partial<Omit<SimulatedSsCardOptions, 'holder'>> = {}): SimulatedSocialSecurityCard {
    const card = person.socialSecurity;
    if (!card) throw new RangeError(`${person.name} has no social security card`);
    return new SimulatedSocialSecurityCard({
      holder: { ...person, cardNumber: card.cardNumber, issueDate: card.issueDate, expiryDate: card.expiryDate },
      generation: options.generation ?? card.generation,
      responseChunk: options.responseChunk,
    });
  }

  /** Cold reset: the card forgets its selection and authentication, and answers with its ATR. */
  powerOn(): Uint8Array {
    this.applicationSelected = false;
    this.currentEf = undefined;
    this.pending = undefined;
    this.challenge = undefined;
    this.authenticated = false;
    return this.atr;
  }

  /** The next `times` commands are answered with `sw` and nothing else. */
  injectStatus(sw: number, times = 1): void {
    for (let i = 0; i < times; i++) this.injected.push(sw);
  }

  async transmit(apdu: Uint8Array): Promise<Uint8Array> {
    return this.respond(apdu);
  }

  respond(apdu: Uint8Array): Uint8Array {
    this.received.push(Uint8Array.from(apdu));
    const injected = this.injected.shift();
    if (injected !== undefined) return sw(injected);
    const [cla, ins, p1 = 0, p2 = 0] = apdu;
    if (apdu.length < 4) return sw(SW_WRONG_LENGTH);
    if (ins !== 0xc0) this.pending = undefined;
    if (cla !== 0x00) return sw(SW_CLA_NOT_SUPPORTED);
    switch (ins) {
      case 0xa4:
        return this.select(p1, apdu.subarray(5, 5 + (apdu[4] ?? 0)));
      case 0xb2:
        return this.readRecord(p1, p2, apdu);
      case 0xc0:
        return this.getResponse(apdu[4] ?? 0);
      case 0x84:
        this.challenge = Uint8Array.from(randomBytes(8));
        return concatBytes([this.challenge, sw(SW_OK)]);
      case 0x82:
        return this.externalAuthenticate(apdu.subarray(5, 5 + (apdu[4] ?? 0)));
      default:
        return sw(SW_INS_NOT_SUPPORTED);
    }
  }

  private select(p1: number, data: Uint8Array): Uint8Array {
    if (p1 === 0x04) {
      if (!Buffer.from(data).equals(SSSE_DF_NAME)) return sw(SW_FILE_NOT_FOUND);
      this.applicationSelected = true;
      this.currentEf = undefined;
      return this.announce(this.fci);
    }
    const fileId = ((data[0] ?? 0) << 8) | (data[1] ?? 0);
    if ((p1 !== 0x00 && p1 !== 0x02) || !this.applicationSelected || !this.files.has(fileId)) return sw(SW_FILE_NOT_FOUND);
    this.currentEf = fileId;
    return sw(SW_OK);
  }

  private readRecord(p1: number, p2: number, apdu: Uint8Array): Uint8Array {
    const file = this.currentEf === undefined ? undefined : this.files.get(this.currentEf);
    if (!file) return sw(SW_NO_CURRENT_EF);
    if (this.currentEf === EF06 && this.generation === 3 && !this.authenticated) return sw(SW_SECURITY_NOT_SATISFIED);
    // P2 = 04: P1 is the record number; P2 = 00: P1 is the record's tag.
    const record = p2 === 0x04 ? file.get(p1) : p2 === 0x00 ? [...file.values()].find((r) => r.tag === p1) : undefined;
    if (!record) return sw(SW_RECORD_NOT_FOUND);
    const tlv = encodeRecordTlv(record.tag, record.value);
    const le = apdu.length === 5 ? (apdu[4] ?? 0) || 256 : 256;
    if (le !== tlv.length) return sw(0x6c00 | tlv.length);
    return concatBytes([tlv, sw(SW_OK)]);
  }

  private getResponse(le: number): Uint8Array {
    const pending = this.pending;
    if (!pending) return sw(SW_CONDITIONS_NOT_SATISFIED);
    const wanted = le || 256;
    const available = Math.min(pending.length, this.responseChunk);
    if (wanted > available) return sw(0x6c00 | available);
    const out = pending.subarray(0, wanted);
    this.pending = undefined;
    return concatBytes([out, this.announce(pending.subarray(wanted))]);
  }

  /** T=0 case 4: the card says how much it has (61xx) and waits for GET RESPONSE. */
  private announce(data: Uint8Array): Uint8Array {
    if (data.length === 0) return sw(SW_OK);
    this.pending = Uint8Array.from(data);
    return sw(0x6100 | Math.min(data.length, this.responseChunk));
  }

  private externalAuthenticate(cryptogram: Uint8Array): Uint8Array {
    const challenge = this.challenge;
    this.challenge = undefined;
    if (!challenge) return sw(SW_CONDITIONS_NOT_SATISFIED);
    if (!Buffer.from(cryptogram).equals(simulatedPsamCryptogram(challenge))) return sw(SW_AUTH_FAILED);
    this.authenticated = true;
    return sw(SW_OK);
  }

  private buildFiles(holder: SsCardHolder): Map<number, Map<number, StoredRecord>> {
    const region = holder.idNumber.slice(0, 6);
    const cardSpecific = createHash('sha256').update(holder.cardNumber).digest().subarray(0, 8);
    const identifier = concatBytes([digitsToBcd(region, 3), Buffer.from(SSSE_RID, 'hex'), cardSpecific]);
    const [name, nameExtension] = splitName(holder.name);
    const r5 = EF05_RECORDS;
    const r6 = EF06_RECORDS;
    const ef05: Array<[RecordLayout, Uint8Array]> = [
      [r5.cardIdentifier, identifier],
      [r5.cardType, an('3', 1)],
      [r5.specVersion, an(`${this.generation}.00`, 4)],
      [r5.initOrganisation, padded(digitsToBcd(region, 3), 12)],
      [r5.issueDate, digitsToBcd(ymd(holder.issueDate), 4)],
      [r5.expiryDate, digitsToBcd(ymd(holder.expiryDate), 4)],
      [r5.cardNumber, an(holder.cardNumber, 9)],
    ];
    const ef06: Array<[RecordLayout, Uint8Array]> = [
      [r6.idNumber, an(holder.idNumber, 18)],
      [r6.name, name],
      [r6.nameExtension, nameExtension],
      [r6.sex, an(holder.sex === 'male' ? '1' : '2', 1)],
      [r6.ethnicity, digitsToBcd(holder.ethnicityCode ?? '', 1)],
      [r6.birthPlace, digitsToBcd(region, 3)],
      [r6.birthDate, digitsToBcd(ymd(holder.birthDate), 4)],
    ];
    const toFile = (records: Array<[RecordLayout, Uint8Array]>) =>
      new Map(records.map(([layout, value]) => [layout.record, { tag: layout.tag, value }]));
    return new Map([
      [EF05, toFile(ef05)],
      [EF06, toFile(ef06)],
    ]);
  }
}

function sw(word: number): Uint8Array {
  return Uint8Array.of(word >> 8, word & 0xff);
}
