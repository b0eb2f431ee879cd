import type { DemoPerson } from '../../demo-people';
import { CARD_BAS_NO_CARD, formatCardBas } from './card-bas';
import type { ReadCardBas } from './card-bas-driver';

const NO_RKSSSE = -2203;

/**
 * A stand-in for a vendor iReadCardBas library: a card slot that answers in the national text format.
 * A 3.0 card fails with −2203 (PSAM lacks RKSSSE) unless `psamHasRkssse` is set, as SI_3rdCard does.
 */
export class SimulatedCardBasLibrary {
  psamHasRkssse = false;
  /** Return code forced on the next call (e.g. −11 reader connection error). */
  private forced: number[] = [];
  private person: DemoPerson | undefined;

  insert(person: DemoPerson): void {
    if (!person.socialSecurity) throw new RangeError(`${person.name} has no social security card`);
    this.person = person;
  }

  remove(): void {
    this.person = undefined;
  }

  failNext(code: number): void {
    this.forced.push(code);
  }

  readonly readCardBas: ReadCardBas = async () => {
    const forced = this.forced.shift();
    if (forced !== undefined) return { code: forced, output: '' };
    const person = this.person;
    const card = person?.socialSecurity;
    if (!person || !card) return { code: CARD_BAS_NO_CARD, output: '' };
    if (card.generation === 3 && !this.psamHasRkssse) return { code: NO_RKSSSE, output: '' };
    const region = person.idNumber.slice(0, 6);
    const output = formatCardBas({
      regionCode: region,
      idNumber: person.idNumber,
      cardNumber: card.cardNumber,
      cardIdentifier: `${region}D156000005${card.cardNumber.slice(1).padStart(16, '0')}`,
      name: person.name,
      atrHistory: '8638016E535346',
      specVersion: `${card.generation}.00`,
      issueDate: card.issueDate.replaceAll('-', ''),
      expiryDate: card.expiryDate.replaceAll('-', ''),
      terminalNumber: '000000000000',
      terminalDevice: '00037261202007000128',
    });
    return { code: 0, output };
  };
}
