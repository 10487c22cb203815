import type { ChartDeskApi } from '../../../common/api';
import type { IpcErrorCode, IpcResult } from '../../../common/ipc-envelope';

/** An error that came back from main as an envelope; its message is written for the clinician. */
export class BridgeError extends Error {
  constructor(
    readonly code: IpcErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'BridgeError';
  }
}

/** The single seam between the renderer and main; component tests replace `window.chartdesk`. */
export function bridge(): ChartDeskApi {
  return window.chartdesk;
}

export async function unwrap<T>(pending: Promise<IpcResult<T>>): Promise<T> {
  const result = await pending;
  if (result.ok) return result.value;
  throw new BridgeError(result.error.code, result.error.message);
}
