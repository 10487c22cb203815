import type { WriteKind } from './write-kinds';

/** View models: the only shapes that reach the renderer. None of them may ever hold a secret. */

export interface AppInfo {
  name: string;
  version: string;
  platform: string;
  /** 'electron' in the desktop app, 'web' in the browser view used for development and tests. */
  shell: 'electron' | 'web';
}

/** Whether IT's managed configuration applied, and what it allows. */
export interface PolicyStatus {
  /** Where the policy was read from, or null when there is none. */
  source: string | null;
  applied: boolean;
  /** Why an invalid policy was ignored, for the clinician and IT. */
  error: string | null;
  allowAddConnections: boolean;
  idleLockMinutes: number;
  /** The kinds of writing a connection may turn on (every kind when no policy says otherwise). */
  allowedWriteKinds: WriteKind[];
}

/**
 * An EHR launch the clinician must confirm first: from an issuer not configured here, or one that would replace a
 * sign-in in progress or the chart on screen. Nothing is fetched from an unknown issuer before the answer, so what
 * identifies it is only what the link says: its address, and the host in it.
 */
export interface LaunchConfirmation {
  id: string;
  /** The EHR's FHIR base (`iss`), as the launch link gave it. */
  issuer: string;
  /** The issuer's host name: the identity shown (a name the server declares about itself is not proof of anything). */
  host: string;
  reason: 'unknown-ehr' | 'sign-in-in-progress' | 'chart-open';
  /** The connection the launch would use, when it is a configured one. */
  connectionName: string | null;
}

/** A message for the clinician that is not the answer to a request (a rejected link, the keychain). */
export interface AppNotice {
  level: 'info' | 'warning' | 'error';
  message: string;
  connectionId: string | null;
}
