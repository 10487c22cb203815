import type { z } from 'zod';
import { INVOKE, isInvokeChannel } from '../../common/ipc-contract';
import { INVOKE_ARGS } from '../../common/ipc-schemas';
import { ChartDeskError, type IpcErrorEnvelope, type IpcResult } from '../../common/ipc-envelope';
import type { IpcServices } from '../app-services';
import type { Logger } from '../logging/logger';

export type Dispatch = (channel: unknown, rawArgs: unknown) => Promise<IpcResult<unknown>>;

const MAX_ISSUES_IN_MESSAGE = 3;

function describeInvalidInput(error: z.ZodError): string {
  const forClinician = error.issues.find((issue) => issue.code === 'custom' && issue.params?.forClinician === true);
  if (forClinician) return forClinician.message;
  const parts = error.issues.slice(0, MAX_ISSUES_IN_MESSAGE).map((issue) => {
    const where = issue.path.length > 0 ? issue.path.join('.') : 'arguments';
    return `${where}: ${issue.message}`;
  });
  return `Invalid request (${parts.join('; ')})`;
}

/**
 * One entry point shared by Electron IPC and the browser bridge: the contract's table says which service method
 * answers a channel. The renderer is untrusted: arguments are validated here against the channel's schema, and
 * whatever goes wrong leaves as an envelope with a code and a message, never a stack.
 */
export function createDispatcher(services: IpcServices, log: Logger): Dispatch {
  return async (channel, rawArgs) => {
    if (!isInvokeChannel(channel)) {
      return failure({ code: 'unknown-channel', message: 'Unknown request.' });
    }
    const { service, method } = INVOKE[channel];
    const parsed = INVOKE_ARGS[channel].safeParse(rawArgs);
    if (!parsed.success) {
      log.warn('ipc.invalid-input', { channel });
      return failure({ code: 'invalid-input', message: describeInvalidInput(parsed.error) });
    }
    try {
      // A method call on the service object itself, so that a service written as a class keeps its `this`.
      const target = services[service] as unknown as Record<string, (...a: unknown[]) => unknown>;
      const value = await target[method]!(...parsed.data);
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
