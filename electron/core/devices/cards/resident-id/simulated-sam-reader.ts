import { concatBytes } from '../../bytes';
import type { DemoPerson } from '../../demo-people';
import { applyLineFault, FaultQueue, type LineFault } from '../../serial/line-faults';
import { SimulatedSerialPort } from '../../serial/simulated-serial-port';
import { encodeIdText, ID_TEXT_LENGTH } from './id-text';
import { encodeSamReply, FIND_CARD, READ_TEXT_PHOTO, SAM_ID, SAM_RESET, SAM_STATUS, SamFrameDecoder, SELECT_CARD, SW3 } from './sam-frame';

const PHOTO_LENGTH = 1024;

function commandCode(body: Uint8Array): number {
  return ((body[0] ?? 0) << 8) | (body[1] ?? 0);
}

function ymd(date: string): string {
  return date.replaceAll('-', '');
}

/** The 256-byte text block a card would hold for this person. */
export function idTextFor(person: DemoPerson): Uint8Array {
  const permit = person.documentType === 'hmt_residence_permit';
  return encodeIdText({
    name: person.name,
    sex: person.sex === 'male' ? '1' : '2',
    ethnicity: person.ethnicityCode ?? '',
    birthDate: ymd(person.birthDate),
    address: person.address,
    idNumber: person.idNumber,
    issuingAuthority: person.issuingAuthority,
    validFrom: ymd(person.idValidFrom),
    validUntil: person.idValidUntil === '长期' ? '长期' : ymd(person.idValidUntil),
    passNumber: permit ? person.passNumber : undefined,
    issueCount: permit ? person.issueCount : undefined,
    typeFlag: permit ? 'J' : undefined,
  });
}

interface CardOnReader {
  text: Uint8Array;
  /** Found and selected since it entered the field. */
  selected: boolean;
  /** Read already: it stays silent until taken away and presented again. */
  halted: boolean;
}

/**
 * An ID card SAM module behind a serial port (MockBinding), with a card that can be placed and taken
 * away. Frames follow sam-frame.ts; the module can be told to garble, drop or refuse its next answers.
 */
export class SimulatedSamReader {
  readonly port: SimulatedSerialPort;
  /** The SAM ID the module reports for 12 FF. */
  readonly samId = Uint8Array.from({ length: 16 }, (_, i) => i + 1);
  private card: CardOnReader | undefined;
  private readonly decoder = new SamFrameDecoder();
  private readonly faults = new FaultQueue();
  private readonly statuses: number[] = [];

  constructor(path: string) {
    this.port = new SimulatedSerialPort(path, (bytes) => this.onHostBytes(bytes));
  }

  /** Puts a card in the field; `text` overrides the block (to test odd or damaged cards). */
  place(person: DemoPerson, text: Uint8Array = idTextFor(person)): void {
    this.card = { text, selected: false, halted: false };
  }

  take(): void {
    this.card = undefined;
  }

  /** Garbles the next answer, or the next answer to `command` (e.g. READ_TEXT_PHOTO). */
  failNext(fault: LineFault, command?: Uint8Array): void {
    this.faults.push(fault, command && commandCode(command));
  }

  /** Garbles the answer to the next read of the card's text, not to the presence poll. */
  failNextRead(fault: LineFault): void {
    this.failNext(fault, READ_TEXT_PHOTO);
  }

  /** Makes the next answer a well-formed error frame with this SW3 (e.g. 41 read failed). */
  failNextWithStatus(sw3: number): void {
    this.statuses.push(sw3);
  }

  private onHostBytes(bytes: Uint8Array): void {
    for (const event of this.decoder.push(bytes)) {
      if (event.type !== 'frame') {
        void this.port.send(encodeSamReply(SW3.CHECKSUM_ERROR));
        continue;
      }
      const command = commandCode(event.frame);
      const reply = this.answer(command);
      void this.port.send(applyLineFault(reply, this.faults.take(command), reply.length - 1));
    }
  }

  private answer(command: number): Uint8Array {
    const status = this.statuses.shift();
    if (status !== undefined) return encodeSamReply(status);
    const card = this.card;
    switch (command) {
      case commandCode(SAM_RESET):
      case commandCode(SAM_STATUS):
        return encodeSamReply(SW3.OK);
      case commandCode(SAM_ID):
        return encodeSamReply(SW3.OK, this.samId);
      case commandCode(FIND_CARD):
        if (!card || card.halted) return encodeSamReply(SW3.FIND_FAILED);
        card.selected = false;
        return encodeSamReply(SW3.FIND_OK, new Uint8Array(4));
      case commandCode(SELECT_CARD):
        if (!card || card.halted) return encodeSamReply(SW3.SELECT_FAILED);
        card.selected = true;
        return encodeSamReply(SW3.OK, new Uint8Array(8));
      case commandCode(READ_TEXT_PHOTO): {
        if (!card?.selected) return encodeSamReply(SW3.READ_FAILED);
        card.halted = true;
        const lengths = Uint8Array.of(ID_TEXT_LENGTH >> 8, ID_TEXT_LENGTH & 0xff, PHOTO_LENGTH >> 8, PHOTO_LENGTH & 0xff);
        return encodeSamReply(SW3.OK, concatBytes([lengths, card.text, new Uint8Array(PHOTO_LENGTH)]));
      }
      default:
        return encodeSamReply(SW3.COMMAND_ERROR);
    }
  }
}
