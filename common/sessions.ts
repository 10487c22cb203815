import type { Connection } from './connections';
import type { WriteAction } from './write-kinds';

/** A session as the renderer sees it: who, where, what was granted, until when. Never a token. */
export type SessionStatus = 'signed-out' | 'signing-in' | 'signed-in' | 'expired' | 'error';

export interface GrantedScopeSummary {
  /** Chart sections whose resources were granted for reading. */
  grantedSections: ChartSectionId[];
  /** Chart sections requested but not granted by the EHR. */
  missingSections: ChartSectionId[];
  /** What the grant lets ChartDesk write (common/write-kinds.ts); empty unless the connection asked for writing. */
  writeActions: WriteAction[];
  /** Write actions asked for but not granted by the EHR. */
  missingWriteActions: WriteAction[];
  /** Binary was granted for reading: note and report content the EHR keeps apart (by URL) can be opened. */
  documentContent: boolean;
  offlineAccess: boolean;
  /** The granted scope string, normalized (no secrets in it). */
  raw: string;
}

export interface PatientContext {
  id: string;
  /** Display name when known (from the Patient read), else null. */
  name: string | null;
}

export interface SessionView {
  connectionId: string;
  connectionName: string;
  status: SessionStatus;
  /** A message for the clinician when status is 'error' or 'expired', or for the keychain state. */
  message: string | null;
  userDisplayName: string | null;
  fhirUser: string | null;
  patient: PatientContext | null;
  encounterId: string | null;
  needPatientBanner: boolean;
  smartStyleUrl: string | null;
  scopes: GrantedScopeSummary | null;
  /** ISO time the access token expires. */
  expiresAt: string | null;
  /** False when the OS keychain was unavailable: the session lives in memory only. */
  persisted: boolean;
  /** True when this device is registered with the EHR (later sessions need no browser): offer "forget this device". */
  deviceRegistered?: boolean;
  /**
   * Set when the EHR offers no way to end this session remotely: what signing out leaves behind there, for the
   * clinician to read before signing out.
   */
  signOutNote?: string | null;
}

export interface ConnectionWithSession {
  connection: Connection;
  session: SessionView;
}

/** The chart sections ChartDesk shows, in display order, each backed by one FHIR resource type. */
export const CHART_SECTION_IDS = [
  'vitals',
  'labs',
  'problems',
  'medications',
  'allergies',
  'immunizations',
  'encounters',
  'notes',
  'reports',
  'procedures',
] as const;
export type ChartSectionId = (typeof CHART_SECTION_IDS)[number];
