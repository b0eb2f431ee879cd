/** The logger every layer is handed. The core backs it with pino; tests can capture it. */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(subsystem: string): Logger;
}

// 18-character resident ID numbers (17 digits + digit or X) and 15-digit legacy ones.
const ID_NUMBER = /(?<![0-9A-Za-z])(\d{4})(\d{10}|\d{7})(\d{3}[0-9Xx])(?![0-9A-Za-z])/g;

/** Masks anything shaped like an ID number so logs never carry a full personal number. */
export function redactPersonalNumbers(text: string): string {
  return text.replace(ID_NUMBER, (_m, head: string, middle: string, tail: string) => head + '*'.repeat(middle.length) + tail);
}
