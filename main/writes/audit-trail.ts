import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { WriteAction } from '../../common/write-kinds';
import { errorReason, type Logger } from '../logging/logger';

/**
 * The local record of what ChartDesk wrote: one JSON line per resource written, in the user data folder
 * (`write-audit.jsonl`). It says what, when and where (resource type, id, version, the EHR's FHIR base, the action),
 * never the content, the patient or a token, so it can be handed to IT as it is. It also tells the chart which rows
 * came from ChartDesk.
 */
export interface AuditEntry {
  time: string;
  fhirBaseUrl: string;
  connectionId: string;
  action: WriteAction;
  /** create: a new resource; found: a conditional create found the copy an earlier try made; update. */
  interaction: 'create' | 'found' | 'update';
  resourceType: string;
  id: string;
  versionId: string | null;
}

export interface AuditTrail {
  record(entry: AuditEntry): Promise<void>;
  /** Whether ChartDesk wrote this resource to this EHR. */
  wrote(fhirBaseUrl: string, resourceType: string, id: string): boolean;
  load(): Promise<void>;
}

export const AUDIT_FILE = 'write-audit.jsonl';

export function createAuditTrail(deps: { userDataDir: string; log: Logger }): AuditTrail {
  const path = join(deps.userDataDir, AUDIT_FILE);
  const written = new Set<string>();
  const key = (base: string, type: string, id: string) => `${base} ${type}/${id}`;
  return {
    async record(entry) {
      written.add(key(entry.fhirBaseUrl, entry.resourceType, entry.id));
      try {
        await mkdir(dirname(path), { recursive: true });
        await appendFile(path, `${JSON.stringify(entry)}\n`, { encoding: 'utf8', mode: 0o600 });
      } catch (error) {
        // The write itself succeeded: it is not undone for want of its record, but the failure is logged.
        deps.log.error('write.audit-failed', { resourceType: entry.resourceType, reason: errorReason(error) });
      }
    },
    wrote: (base, type, id) => written.has(key(base, type, id)),
    async load() {
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch {
        return;
      }
      for (const line of text.split('\n')) {
        try {
          const entry = JSON.parse(line) as Partial<AuditEntry>;
          if (entry.fhirBaseUrl && entry.resourceType && entry.id)
            written.add(key(entry.fhirBaseUrl, entry.resourceType, entry.id));
        } catch {
          // an empty last line, or one torn by a crash: the others still count
        }
      }
    },
  };
}
