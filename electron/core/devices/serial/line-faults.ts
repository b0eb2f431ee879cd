// Ways a simulated device can garble its next answer on the line, on demand.

export type LineFault =
  /** The checksum byte is wrong. */
  | 'checksum'
  /** Noise instead of a frame. */
  | 'garbage'
  /** Only the first half of the frame arrives. */
  | 'truncate'
  /** No answer at all. */
  | 'silent';

/** Noise without any frame start byte of our framings (AA, 09). */
const NOISE = Uint8Array.of(0xff, 0x13, 0x37, 0x00, 0x55, 0xfe, 0x42);

/** The bytes actually sent for `frame` under `fault`; `checksumIndex` locates the check byte. */
export function applyLineFault(frame: Uint8Array, fault: LineFault | undefined, checksumIndex: number): Uint8Array {
  switch (fault) {
    case undefined:
      return frame;
    case 'checksum': {
      const out = Uint8Array.from(frame);
      out[checksumIndex] = (out[checksumIndex] ?? 0) ^ 0x5a;
      return out;
    }
    case 'garbage':
      return NOISE;
    case 'truncate':
      return frame.slice(0, Math.floor(frame.length / 2));
    case 'silent':
      return new Uint8Array(0);
  }
}

/** Faults waiting for the next answer, or for the next answer to a given command. */
export class FaultQueue {
  private readonly queue: Array<{ fault: LineFault; command?: number }> = [];

  push(fault: LineFault, command?: number): void {
    this.queue.push({ fault, command });
  }

  take(command: number): LineFault | undefined {
    const at = this.queue.findIndex((f) => f.command === undefined || f.command === command);
    return at < 0 ? undefined : this.queue.splice(at, 1)[0]?.fault;
  }
}
