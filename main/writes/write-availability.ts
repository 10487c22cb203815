import type { ConnectionWithSession } from '../../common/sessions';
import {
  WRITE_ACTION_WORDS,
  WRITE_ACTIONS,
  type WriteAction,
  type WriteAvailability,
  type WriteKind,
  writeAvailability,
} from '../../common/write-kinds';
import type { WriteAvailabilities } from '../../common/writes';

/**
 * What a connection may write now, action by action: IT's policy and the connection's switches first (whatever the
 * session), then whether a session is signed in, then what it was granted.
 */
export function writeAvailabilities(item: ConnectionWithSession, policyAllowed: readonly WriteKind[]): WriteAvailabilities {
  const { connection, session } = item;
  const availabilityOf = (action: WriteAction): WriteAvailability => {
    const configured = writeAvailability(action, {
      policyAllowed,
      connectionKinds: connection.writeKinds,
      granted: WRITE_ACTIONS,
      refused: [],
    });
    if (!configured.offered) return configured;
    if (session.status !== 'signed-in') {
      return { offered: false, reason: `Sign in to ${connection.name} to ${WRITE_ACTION_WORDS[action]}.` };
    }
    return writeAvailability(action, {
      policyAllowed,
      connectionKinds: connection.writeKinds,
      granted: session.scopes?.writeActions ?? [],
      refused: session.scopes?.missingWriteActions ?? [],
    });
  };
  return Object.fromEntries(WRITE_ACTIONS.map((action) => [action, availabilityOf(action)])) as WriteAvailabilities;
}
