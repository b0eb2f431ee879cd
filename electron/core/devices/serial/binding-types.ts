// serialport's binding types live in @serialport/bindings-interface, whose package "exports" map
// hides its declarations from TypeScript's Bundler resolution. These mirror the members we use.

export interface SerialOpenOptions {
  path: string;
  baudRate: number;
}

export interface SerialBindingPort {
  readonly isOpen: boolean;
  readonly openOptions: SerialOpenOptions;
  close(): Promise<void>;
  read(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }>;
  write(buffer: Buffer): Promise<void>;
  update(options: { baudRate: number }): Promise<void>;
  set(options: object): Promise<void>;
  get(): Promise<{ cts: boolean; dsr: boolean; dcd: boolean }>;
  getBaudRate(): Promise<{ baudRate: number }>;
  flush(): Promise<void>;
  drain(): Promise<void>;
}

export interface SerialBinding {
  list(): Promise<Array<{ path: string }>>;
  open(options: SerialOpenOptions): Promise<SerialBindingPort>;
}

/** serialport's MockBinding (`SerialPortMock.binding`). */
export interface MockSerialBinding extends SerialBinding {
  createPort(path: string): void;
  open(options: SerialOpenOptions): Promise<MockSerialPort>;
}

export interface MockSerialPort extends SerialBindingPort {
  emitData(data: Buffer): void;
}
