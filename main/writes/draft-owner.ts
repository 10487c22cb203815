import { ChartDeskError } from '../../common/ipc-envelope';

/** The signed-in EHR user a draft or unfinished form was made under: the session's fhirUser, null when unnamed. */
export interface MadeUnder {
  fhirUser: string | null;
}

/**
 * Whether a draft or unfinished form belongs to the session signed in now (null: none, so nothing does). A draft
 * names its author in what it sends, so only the same user may see, send or discard it. The fhirUser is compared
 * as the EHR gave it; a null user matches only null, since the EHR named no one either time.
 */
export function belongsTo(item: MadeUnder, signedIn: MadeUnder | null): boolean {
  return signedIn !== null && item.fhirUser === signedIn.fhirUser;
}

/** The session signed in now, from a getter that throws when there is none: null then. */
export function signedInNow<T extends MadeUnder>(session: () => T): T | null {
  try {
    return session();
  } catch {
    return null;
  }
}

/** Refuses, in plain words, an action on a draft or unfinished form that is not the signed-in user's. */
export function requireOwner(item: MadeUnder, signedIn: MadeUnder | null, what: 'draft' | 'unfinished entry'): void {
  if (belongsTo(item, signedIn)) return;
  if (signedIn === null) {
    throw new ChartDeskError(
      'auth',
      `Sign in to this connection first: a ${what} is offered only to the clinician who started it.`,
    );
  }
  throw new ChartDeskError(
    'forbidden',
    `This ${what} was started by another user. It is kept for them: sign in as the clinician who started it to use it.`,
  );
}

/**
 * The user recorded in a file read back from disk. Files written before users were recorded have none: they count
 * as made under an unknown user (null), so they go only to sessions whose user is unknown too.
 */
export function userOnDisk(value: { fhirUser?: unknown }): string | null {
  const user = value.fhirUser;
  if (user === undefined || user === null) return null;
  if (typeof user === 'string') return user;
  throw new Error('the file names no valid user');
}
