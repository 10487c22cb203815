import type { WriteKind } from './write-kinds';

/** An EHR connection as the clinician or IT configured it. Holds no secret. */

export type RedirectMode = 'custom-scheme' | 'loopback';
/** Which SMART scope syntax to request: v1 (`patient/Observation.read`), v2 (`patient/Observation.rs`), or whatever the server advertises. */
export type ScopeSyntax = 'v1' | 'v2' | 'auto';

export interface ConnectionSettings {
  name: string;
  fhirBaseUrl: string;
  clientId: string;
  redirectMode: RedirectMode;
  scopeSyntax: ScopeSyntax;
  /** Space-separated scopes to request; empty means ChartDesk's least-privilege default for the chart. */
  scopes: string;
  /** Whether an EHR launch from an issuer not configured here may be accepted after the clinician confirms. */
  allowUnknownEhrLaunch: boolean;
  /** Sent as the Epic-Client-ID header on discovery when the EHR needs it. */
  sendEpicClientIdHeader: boolean;
  /**
   * After a standalone sign-in, register this device with the EHR (when it advertises a registration endpoint) so
   * that later sessions get tokens without the browser, Epic's offline access for native apps. Default false.
   */
  registerDevice?: boolean;
  /**
   * The kinds of writing to the EHR this connection may do (common/write-kinds.ts). None by default: ChartDesk then
   * asks for no write scope at all. Absent in connections saved before writing existed.
   */
  writeKinds?: WriteKind[];
  /**
   * A redirect of this connection's own, `org.chartdesk.desktop:/oauth2/callback/<name>` (or the loopback equivalent),
   * registered by IT with this EHR alone; empty or absent: the address every EHR shares. See REDIRECT_NAME.
   */
  redirectName?: string;
}

/** What a new connection starts with, beside its name, address and client id. */
export const CONNECTION_DEFAULTS: Omit<ConnectionSettings, 'name' | 'fhirBaseUrl' | 'clientId'> = {
  redirectMode: 'custom-scheme',
  scopeSyntax: 'auto',
  scopes: '',
  allowUnknownEhrLaunch: false,
  sendEpicClientIdHeader: false,
  registerDevice: false,
  writeKinds: [],
  redirectName: '',
};

export interface Connection extends ConnectionSettings {
  id: string;
  /** Set by IT policy: 'locked' cannot be edited or removed by the clinician. */
  managed: 'no' | 'editable' | 'locked';
}

/** A template offered in the "add connection" form. */
export interface ConnectionTemplate {
  id: string;
  label: string;
  settings: ConnectionSettings;
  /** Whether the clinician must supply their own client_id (Epic, Oracle Health). */
  needsClientId: boolean;
  note: string;
}
