/**
 * An incremental decoder for one framing: bytes go in as they arrive (in any fragments), frames come
 * out once complete and checked. Bytes before a frame start are skipped (resynchronisation); a frame
 * that starts properly but fails its checks is reported as `corrupt`, and decoding resumes after it.
 */
export interface FrameDecoder<F> {
  push(chunk: Uint8Array): DecodeEvent<F>[];
  /** Forget buffered bytes (a new exchange starts). */
  reset(): void;
  /** Bytes held for an incomplete frame; non-zero at a timeout means a truncated frame. */
  readonly pending: number;
}

export type DecodeEvent<F> = { type: 'frame'; frame: F } | { type: 'corrupt'; reason: string; bytes: Uint8Array };
