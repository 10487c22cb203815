import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { PreviewLine, WrittenResource } from '../../common/writes';
import type { WriteAction } from '../../common/write-kinds';
import { writeJsonFile } from '../connections/json-file';
import { errorReason, type Logger } from '../logging/logger';
import type { DraftCipher, SealedDraft } from './draft-cipher';
import type { WriteSend } from './fhir-writer';

/** A write as main keeps it from preview to success: exactly the requests the preview showed. Never a token. */
export interface Draft {
  id: string;
  connectionId: string;
  /** The FHIR base it was prepared for: it is only ever sent there. */
  fhirBaseUrl: string;
  action: WriteAction;
  patientId: string;
  patientName: string | null;
  encounterId: string | null;
  lines: PreviewLine[];
  warnings: string[];
  sends: WriteSend[];
  /** What each send wrote so far (same index), null until it was: a Retry sends only the rest. */
  written: Array<WrittenResource | null>;
  createdAt: string;
  lastAttemptAt: string | null;
  lastError: string | null;
  lastDetails: string[];
}

export interface DraftStore {
  /** A previewed draft, in memory until it is sent (the latest few only: a preview not confirmed is not kept). */
  hold(draft: Draft): void;
  get(id: string): Draft | undefined;
  /** A draft whose sending failed: kept in memory and, encrypted, on disk. False when it could not go to disk. */
  keep(draft: Draft): Promise<boolean>;
  /** Whether a kept draft is on disk. */
  onDisk(id: string): boolean;
  remove(id: string): Promise<void>;
  /** The kept (failed) drafts of a connection, oldest first. */
  kept(connectionId: string): Draft[];
  /** Reads the drafts kept on disk by an earlier run. */
  load(): Promise<void>;
  /** Deletes the kept drafts of connections that no longer exist (removed since): nothing could ever send them. */
  pruneExcept(connectionIds: ReadonlySet<string>): Promise<void>;
}

const MAX_HELD_PREVIEWS = 20;
const DRAFT_FILE = /^([A-Za-z0-9_-]{1,128})\.draft\.json$/;

export function createDraftStore(deps: { userDataDir: string; cipher: DraftCipher; log: Logger }): DraftStore {
  const dir = join(deps.userDataDir, 'drafts');
  const held = new Map<string, Draft>();
  const keptDrafts = new Map<string, Draft>();
  const saved = new Set<string>();
  const file = (id: string) => join(dir, `${id}.draft.json`);
  const remove = async (id: string) => {
    held.delete(id);
    keptDrafts.delete(id);
    saved.delete(id);
    await rm(file(id), { force: true });
  };

  return {
    hold(draft) {
      held.set(draft.id, draft);
      for (const id of held.keys()) {
        if (held.size <= MAX_HELD_PREVIEWS) break;
        held.delete(id);
      }
    },
    get: (id) => keptDrafts.get(id) ?? held.get(id),
    async keep(draft) {
      held.delete(draft.id);
      keptDrafts.set(draft.id, draft);
      try {
        const sealed = await deps.cipher.seal(draft.id, JSON.stringify(draft));
        await mkdir(dir, { recursive: true, mode: 0o700 });
        await writeJsonFile(file(draft.id), sealed, { keepBackup: false });
        saved.add(draft.id);
        return true;
      } catch (error) {
        // No keychain (or no disk): the draft stays in memory only, and the clinician is told so with it.
        deps.log.warn('write.draft-not-saved', { reason: errorReason(error) });
        saved.delete(draft.id);
        return false;
      }
    },
    onDisk: (id) => saved.has(id),
    remove,
    kept: (connectionId) => [...keptDrafts.values()].filter((draft) => draft.connectionId === connectionId),
    async pruneExcept(connectionIds) {
      for (const draft of [...keptDrafts.values()]) {
        if (connectionIds.has(draft.connectionId)) continue;
        deps.log.info('write.draft-pruned', { reason: 'connection removed' });
        await remove(draft.id);
      }
    },
    async load() {
      let names: string[];
      try {
        names = await readdir(dir);
      } catch {
        return; // no drafts folder: nothing was kept
      }
      for (const name of names) {
        const id = DRAFT_FILE.exec(name)?.[1];
        if (!id) continue;
        try {
          const sealed = JSON.parse(await readFile(join(dir, name), 'utf8')) as SealedDraft;
          const draft = JSON.parse(await deps.cipher.open(id, sealed)) as Draft;
          if (draft.id !== id) throw new Error('the draft file names another draft');
          keptDrafts.set(id, draft);
          saved.add(id);
        } catch (error) {
          // Left in place: a keychain that is locked now may open it at the next start.
          deps.log.warn('write.draft-unreadable', { file: name, reason: errorReason(error) });
        }
      }
    },
  };
}
