import { ChartDeskError } from '../../common/ipc-envelope';
import type { ConnectionWithSession } from '../../common/sessions';
import type { WriteKind } from '../../common/write-kinds';
import type { IpcServices } from '../app-services';
import { writeAvailabilities } from './write-availability';

export interface WriteServiceDeps {
  /** The connection and its session as the renderer sees them, or null for an unknown id. */
  connectionOf(connectionId: string): ConnectionWithSession | null;
  /** The kinds of writing IT's policy allows (all without a policy). */
  policyAllowed: readonly WriteKind[];
}

// Placeholder until the write path lands on this branch (next commits): the contract is what the renderer builds on.
const NOT_YET = () => {
  throw new ChartDeskError('internal', 'Writing to the EHR is not available in this build yet.');
};

export function createWriteService(deps: WriteServiceDeps): IpcServices['writes'] {
  const connection = (connectionId: string) => {
    const item = deps.connectionOf(connectionId);
    if (!item) throw new ChartDeskError('not-found', 'This connection no longer exists.');
    return item;
  };
  return {
    availability: (connectionId) => writeAvailabilities(connection(connectionId), deps.policyAllowed),
    preview: NOT_YET,
    submit: NOT_YET,
    drafts: NOT_YET,
    discard: NOT_YET,
    searchMedications: NOT_YET,
  };
}
