/**
 * Errors cross the process boundary as data, never as thrown objects: Electron
 * would flatten them to a string and a stack, and a stack can leak internals.
 */
export type IpcErrorCode =
  | 'invalid-input'
  | 'untrusted-sender'
  | 'unknown-channel'
  | 'not-found'
  | 'conflict'
  | 'forbidden'
  | 'network'
  | 'auth'
  | 'cancelled'
  | 'internal';

export interface IpcErrorEnvelope {
  code: IpcErrorCode;
  message: string;
}

export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcErrorEnvelope };

/** An error whose code and message are safe to show to the clinician as they are. */
export class ChartDeskError extends Error {
  constructor(
    readonly code: IpcErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ChartDeskError';
  }
}
