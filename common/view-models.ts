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

/** An EHR launch from an issuer not configured here: the clinician must confirm it by name. */
export interface LaunchConfirmation {
  id: string;
  issuer: string;
  /** The EHR's name when its CapabilityStatement gave one. */
  ehrName: string | null;
}

/** A message for the clinician that is not the answer to a request (a rejected link, the keychain). */
export interface AppNotice {
  level: 'info' | 'warning' | 'error';
  message: string;
  connectionId: string | null;
}
