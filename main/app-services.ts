import type { Invoke, InvokeArgs, InvokeChannel, InvokeResult } from '../common/ipc-contract';
import type { DeepLink } from './deep-link/parse-deep-link';

type ServiceName = Invoke[InvokeChannel]['service'];
type ChannelsOf<S extends ServiceName> = { [C in InvokeChannel]: Invoke[C]['service'] extends S ? C : never }[InvokeChannel];

/**
 * The services that answer the renderer, derived from the contract (common/ipc-contract.ts): for each service
 * named there, one method per channel routed to it, taking the channel's validated arguments. The dispatcher calls
 * them directly; main/compose.ts builds them.
 */
export type IpcServices = {
  [S in ServiceName]: {
    [C in ChannelsOf<S> as Invoke[C]['method']]: (...args: InvokeArgs<C>) => InvokeResult<C> | Promise<InvokeResult<C>>;
  };
};

/** The main process's capabilities, free of Electron: the shell and the browser bridge both drive these. */
export interface MainServices extends IpcServices {
  /** Acts on a link the OS handed over (already parsed, so hostile input has been turned away). */
  handleDeepLink(link: DeepLink): void;
}
