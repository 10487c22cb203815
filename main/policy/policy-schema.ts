import { z } from 'zod';
import type { ConnectionSettings } from '../../common/connections';
import { connectionSettings } from '../../common/connection-rules';
import { normalizeWriteKinds, WRITE_KINDS } from '../../common/write-kinds';
import { DEFAULT_MAX_REQUESTS_IN_FLIGHT, MOST_REQUESTS_IN_FLIGHT } from '../fhir/in-flight-limiter';

/**
 * IT's managed configuration. One shape for every OS: JSON on Linux (and CHARTDESK_POLICY_FILE),
 * a configuration profile on macOS, registry values on Windows (mapped onto the same names by
 * registry-policy.ts). docs/policy.schema.json is generated from this file.
 */

export const DEFAULT_IDLE_LOCK_MINUTES = 15;
/** The redirect a managed connection uses when neither it nor the policy names one. */
export const DEFAULT_REDIRECT_MODE = 'custom-scheme';

const redirectMode = z
  .enum(['custom-scheme', 'loopback'])
  .describe('custom-scheme: org.chartdesk.desktop:/oauth2/callback; loopback: http://127.0.0.1:<port>/oauth2/callback');

const writeKinds = z.array(z.enum(WRITE_KINDS)).max(WRITE_KINDS.length);

const httpsUrl = z
  .string()
  .max(2048)
  .regex(/^https:\/\//, 'must be an https URL')
  .refine((value) => URL.canParse(value), 'must be an https URL');

const managedConnectionEntry = z
  .strictObject({
    key: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lower-case letters, digits and dashes (at most 63)')
      .describe('Stable name for this connection; the app keys its sessions on it, so keep it when the URL changes.'),
    locked: z
      .boolean()
      .default(true)
      .describe('true: the clinician can neither edit nor remove it; false: the clinician may edit it.'),
    name: z.string().describe('Shown to the clinician.'),
    fhirBaseUrl: z.string().describe('The FHIR R4 base URL (the EHR launch `iss`).'),
    clientId: z.string().describe('The client_id registered with this EHR.'),
    redirectMode: redirectMode.optional().describe("Overrides the policy's redirectMode for this connection."),
    scopeSyntax: z.enum(['v1', 'v2', 'auto']).default('auto'),
    scopes: z.string().default('').describe("Space-separated scopes; empty means ChartDesk's least-privilege default."),
    allowUnknownEhrLaunch: z.boolean().default(false),
    sendEpicClientIdHeader: z.boolean().default(false),
    registerDevice: z
      .boolean()
      .default(false)
      .describe(
        'Register this device with the EHR after sign-in (dynamic client registration with a device key, as Epic offers native apps).',
      ),
    writeKinds: writeKinds
      .default([])
      .describe(
        'What ChartDesk may write to this EHR: vitals, notes, medication-orders. Empty (the default): it writes nothing and asks for no write scope.',
      ),
    redirectName: z
      .string()
      .optional()
      .describe(
        "This connection's own redirect, org.chartdesk.desktop:/oauth2/callback/<name> (or the loopback equivalent), registered with this EHR alone: the defence against OAuth mix-up when several EHRs are configured.",
      ),
  })
  .describe('A connection IT defines for every user of this machine.');

export const managedPolicySchema = z
  .strictObject({
    $schema: z.string().optional().describe('Lets an editor find this schema; ignored by ChartDesk.'),
    connections: z.array(managedConnectionEntry).max(50).default([]),
    allowAddConnections: z.boolean().default(true).describe('false: the clinician can use only the connections defined here.'),
    allowedLaunchIssuers: z
      .array(httpsUrl)
      .max(100)
      .optional()
      .describe('When set, EHR launches are accepted only from these FHIR base URLs (`iss`), whatever the clinician confirms.'),
    redirectMode: redirectMode.optional().describe('Redirect for managed connections that do not set their own.'),
    allowedWriteKinds: writeKinds
      .optional()
      .describe(
        'The kinds of writing (vitals, notes, medication-orders) any connection may turn on. Absent: the clinician may turn on any kind for their own connections; [] forbids writing everywhere.',
      ),
    idleLockMinutes: z
      .int()
      .min(1)
      .max(720)
      .default(DEFAULT_IDLE_LOCK_MINUTES)
      .describe('Minutes without input before the chart is hidden behind the lock screen.'),
    maxRequestsInFlight: z
      .int()
      .min(1)
      .max(MOST_REQUESTS_IN_FLIGHT)
      .default(DEFAULT_MAX_REQUESTS_IN_FLIGHT)
      .describe(
        'Requests ChartDesk keeps in flight to one EHR at a time, every chart and section of a connection together; more wait their turn. Raise it only where the EHR allows more: beyond its own limit it answers 429 Too Many Requests.',
      ),
    persistTokens: z
      .boolean()
      .default(true)
      .describe('false: refresh tokens live in memory only, so every start needs a new sign-in.'),
    allowDevTools: z
      .boolean()
      .default(false)
      .describe('true: the packaged app lets its DevTools be opened (for IT support); off by default.'),
    updates: z
      .strictObject({
        enabled: z.boolean().default(false),
        feedUrl: httpsUrl.optional().describe('Where an enabled updater looks for releases.'),
      })
      .refine((updates) => !updates.enabled || updates.feedUrl !== undefined, {
        message: 'feedUrl is required when updates are enabled',
        path: ['feedUrl'],
      })
      .default({ enabled: false })
      .describe('Off by default: IT deploys new versions itself.'),
  })
  .superRefine((policy, context) => {
    const seen = new Set<string>();
    policy.connections.forEach((entry, index) => {
      if (seen.has(entry.key)) {
        context.addIssue({ code: 'custom', path: ['connections', index, 'key'], message: `duplicate key "${entry.key}"` });
      }
      seen.add(entry.key);
      const forbidden = entry.writeKinds.filter((kind) => policy.allowedWriteKinds && !policy.allowedWriteKinds.includes(kind));
      if (forbidden.length > 0) {
        context.addIssue({
          code: 'custom',
          path: ['connections', index, 'writeKinds'],
          message: `${forbidden.join(', ')} not in allowedWriteKinds`,
        });
      }
      // The same rules as a connection the clinician enters (common/connection-rules.ts).
      const checked = connectionSettings.safeParse(connectionSettingsOf(entry, policy.redirectMode));
      for (const issue of checked.success ? [] : checked.error.issues) {
        context.addIssue({ code: 'custom', path: ['connections', index, ...issue.path], message: issue.message });
      }
    });
  });

export type ManagedPolicy = z.output<typeof managedPolicySchema>;
export type ManagedConnectionEntry = z.output<typeof managedConnectionEntry>;

export function connectionSettingsOf(
  entry: ManagedConnectionEntry,
  policyRedirectMode: ManagedPolicy['redirectMode'],
): ConnectionSettings {
  const { key: _key, locked: _locked, redirectMode: own, writeKinds, ...settings } = entry;
  return {
    ...settings,
    redirectMode: own ?? policyRedirectMode ?? DEFAULT_REDIRECT_MODE,
    writeKinds: normalizeWriteKinds(writeKinds),
  };
}

/** The JSON Schema IT validates their files against (committed as docs/policy.schema.json). */
export function policyJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(managedPolicySchema, { io: 'input', target: 'draft-2020-12' }),
    $id: 'https://chartdesk.org/schemas/policy.schema.json',
    title: 'ChartDesk managed configuration (policy)',
  };
}
