// The device layer's public surface: printing (document → ESC/POS → transport) and card reading.

export { DeviceError, isDeviceError, type DeviceErrorCode } from './errors';
export { toDeviceLogger, type DeviceLogger } from './logger';
export { demoPeople, type DemoPerson } from './demo-people';

export * from '#shared/documents/print-document';
export {
  renderDocument,
  findUnprintableInDocument,
  type RenderOptions,
  type CutMode,
  type DocumentUnprintable,
} from './printer/render-document';
export { findUnprintable, textCells, type UnprintableChar, type UnprintableReason } from './printer/text-encoding';
export type { PrinterTransport } from './printer/transport';
export type { PrinterStatus, PrinterState } from './printer/status';
export {
  createPrinterTransport,
  parsePrinterUri,
  SERIAL_BAUD_RATES,
  type PrinterAddress,
  type PrinterTransportOptions,
} from './printer/transport-uri';
export { VirtualPrinter, type PaperState, type VirtualPrinterOptions } from './printer/virtual-printer';
export { serveVirtualPrinter, type VirtualPrinterServer } from './printer/virtual-printer-server';
export type { DecodedJob, DecodedLine, DecodedQr, JobItem, TextRun } from './printer/decoded-job';

export type { CardKind, CardRead, ResidentIdCardRead, Sex, SocialSecurityCardRead } from './cards/card-read';
export type { CardReaderDriver, PollResult } from './cards/card-reader-driver';
export { CardReaderService, type CardReaderServiceOptions, type ReaderStatus } from './cards/card-reader-service';
export { exchangeApdu, type ApduResponse, type ApduTransport } from './cards/apdu';
export { readSocialSecurityCard, type SsseReadOptions } from './cards/social-security/ssse-reader';
export { createSerialSsReaderDriver, type SerialSsReaderOptions } from './cards/social-security/serial-ss-reader';
export { createSamReaderDriver, type SamReaderOptions } from './cards/resident-id/sam-reader';
export { createCardBasDriver, type CardBasDriverOptions, type ReadCardBas } from './cards/card-bas/card-bas-driver';

export { SimulatedSocialSecurityCard } from './cards/social-security/simulated-ss-card';
export { SimulatedSsReader } from './cards/social-security/simulated-ss-reader';
export { SimulatedSamReader } from './cards/resident-id/simulated-sam-reader';
export { SimulatedCardBasLibrary } from './cards/card-bas/simulated-card-bas';
export { SimulatedSerialPort } from './serial/simulated-serial-port';
