import { z } from 'zod';
import { isInvokeChannel, type InvokeArgs, type InvokeChannel, type InvokeResult } from '../../common/ipc-contract';
import { ChartDeskError, type IpcErrorEnvelope, type IpcResult } from '../../common/ipc-envelope';
import type { Logger } from '../logging/logger';

/** One channel's run-time argument check and its implementation. */
export interface ChannelHandler<C extends InvokeChannel> {
  args: z.ZodType<InvokeArgs<C>>;
  run: (...args: InvokeArgs<C>) => Promise<InvokeResult<C>> | InvokeResult<C>;
}

export type HandlerTable = { [C in InvokeChannel]: ChannelHandler<C> };

export type Dispatch = (channel: unknown, rawArgs: unknown) => Promise<IpcResult<unknown>>;

const MAX_ISSUES_IN_MESSAGE = 3;

function describeInvalidInput(error: z.ZodError): string {
  const parts = error.issues.slice(0, MAX_ISSUES_IN_MESSAGE).map((issue) => {
    const where = issue.path.length > 0 ? issue.path.join('.') : 'arguments';
    return `${where}: ${issue.message}`;
  });
  return `Invalid request (${parts.join('; ')})`;
}

/**
 * Turns the handler table into one entry point shared by Electron IPC and the browser
 * bridge. The renderer is untrusted: arguments are validated here, and whatever goes
 * wrong leaves as an envelope with a code and a message, never a stack.
 */
export function createDispatcher(table: HandlerTable, log: Logger): Dispatch {
  return async (channel, rawArgs) => {
    if (!isInvokeChannel(channel)) {
      return failure({ code: 'unknown-channel', message: 'Unknown request.' });
    }
    const handler = table[channel] as unknown as ChannelHandler<InvokeChannel>;
    const parsed = handler.args.safeParse(rawArgs);
    if (!parsed.success) {
      log.warn('ipc.invalid-input', { channel });
      return failure({ code: 'invalid-input', message: describeInvalidInput(parsed.error) });
    }
    try {
      const value = await (handler.run as (...a: unknown[]) => unknown)(...(parsed.data as unknown[]));
      return { ok: true, value };
    } catch (error) {
      if (error instanceof ChartDeskError) {
        return failure({ code: error.code, message: error.message });
      }
      log.error('ipc.handler-failed', { channel, error });
      return failure({ code: 'internal', message: 'Something went wrong in ChartDesk. The details are in the log.' });
    }
  };
}

function failure(error: IpcErrorEnvelope): IpcResult<never> {
  return { ok: false, error };
}

/** Schema for channels that take no arguments. */
export const noArgs = z.tuple([]);
