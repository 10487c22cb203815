import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { unfinishedWriteRequest } from '../../common/write-schemas';
import type { PreviewLine, UnfinishedForm, WrittenResource } from '../../common/writes';
import type { WriteAction } from '../../common/write-kinds';
import { writeJsonFile } from '../connections/json-file';
import { errorReason, type Logger } from '../logging/logger';
import type { DraftCipher, SealedDraft } from './draft-cipher';
import { userOnDisk } from './draft-owner';
import type { WriteSend } from './fhir-writer';

/** A write as main keeps it from preview to success: exactly the requests the preview showed. Never a token. */
export interface Draft {
  id: string;
  connectionId: string;
  /** The FHIR base it was prepared for: it is only ever sent there. */
  fhirBaseUrl: string;
  /** The signed-in user it was prepared under (its author): only that user may see, send or discard it. */
  fhirUser: string | null;
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

/** A write form the idle lock found open and changed, not yet reviewed: its fields, bound to where it was started. */
export interface UnfinishedDraft {
  id: string;
  connectionId: string;
  /** The FHIR base the connection pointed to: on another server the same patient id is someone else. */
  fhirBaseUrl: string;
  /** The signed-in user when it was saved: only that user is offered it. */
  fhirUser: string | null;
  patientId: string;
  /** The encounter in the session's context for this patient when it was saved, null when none. */
  encounterId: string | null;
  form: UnfinishedForm;
  savedAt: string;
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
  /** An unfinished form: kept like a failed draft (memory, and encrypted on disk). False when it could not go to disk. */
  keepUnfinished(unfinished: UnfinishedDraft): Promise<boolean>;
  getUnfinished(id: string): UnfinishedDraft | undefined;
  /** The unfinished forms of a connection, oldest first. */
  unfinished(connectionId: string): UnfinishedDraft[];
  /** Reads the drafts and unfinished forms kept on disk by an earlier run. */
  load(): Promise<void>;
  /** Deletes the kept drafts of connections that no longer exist (removed since): nothing could ever send them. */
  pruneExcept(connectionIds: ReadonlySet<string>): Promise<void>;
}

const MAX_HELD_PREVIEWS = 20;
const KEPT_FILE = /^([A-Za-z0-9_-]{1,128})\.(draft|unfinished)\.json$/;
type KeptKind = 'draft' | 'unfinished';
/** The additional data a file is sealed with: its id and its kind, so no file can stand in for another or for the other kind. */
const sealedAs = (kind: KeptKind, id: string) => (kind === 'draft' ? id : `unfinished:${id}`);

/** An unfinished form read back from disk is checked as it was when the renderer handed it over. */
function readUnfinished(id: string, plain: string): UnfinishedDraft {
  const value = JSON.parse(plain) as UnfinishedDraft;
  if (value.id !== id) throw new Error('the file names another form');
  const { connectionId, patientId, form } = value;
  if (!unfinishedWriteRequest.safeParse({ connectionId, patientId, form }).success) throw new Error('the form is not valid');
  return { ...value, fhirUser: userOnDisk(value) };
}

function readDraft(id: string, plain: string): Draft {
  const value = JSON.parse(plain) as Draft;
  if (value.id !== id) throw new Error('the draft file names another draft');
  return { ...value, fhirUser: userOnDisk(value) };
}

export function createDraftStore(deps: { userDataDir: string; cipher: DraftCipher; log: Logger }): DraftStore {
  const dir = join(deps.userDataDir, 'drafts');
  const held = new Map<string, Draft>();
  const keptDrafts = new Map<string, Draft>();
  const unfinishedForms = new Map<string, UnfinishedDraft>();
  const saved = new Set<string>();
  const file = (kind: KeptKind, id: string) => join(dir, `${id}.${kind}.json`);
  const remove = async (id: string) => {
    held.delete(id);
    keptDrafts.delete(id);
    unfinishedForms.delete(id);
    saved.delete(id);
    await Promise.all([rm(file('draft', id), { force: true }), rm(file('unfinished', id), { force: true })]);
  };
  /** Writes one sealed file; false (logged) when there is no keychain or no disk: the item stays in memory only. */
  const persist = async (kind: KeptKind, id: string, value: Draft | UnfinishedDraft): Promise<boolean> => {
    try {
      const sealed = await deps.cipher.seal(sealedAs(kind, id), JSON.stringify(value));
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await writeJsonFile(file(kind, id), sealed, { keepBackup: false });
      saved.add(id);
      return true;
    } catch (error) {
      deps.log.warn(kind === 'draft' ? 'write.draft-not-saved' : 'write.unfinished-not-saved', { reason: errorReason(error) });
      saved.delete(id);
      return false;
    }
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
      // Without a keychain (or a disk) the draft stays in memory only, and the clinician is told so with it.
      return persist('draft', draft.id, draft);
    },
    async keepUnfinished(unfinished) {
      unfinishedForms.set(unfinished.id, unfinished);
      return persist('unfinished', unfinished.id, unfinished);
    },
    getUnfinished: (id) => unfinishedForms.get(id),
    unfinished: (connectionId) => [...unfinishedForms.values()].filter((item) => item.connectionId === connectionId),
    onDisk: (id) => saved.has(id),
    remove,
    kept: (connectionId) => [...keptDrafts.values()].filter((draft) => draft.connectionId === connectionId),
    async pruneExcept(connectionIds) {
      for (const draft of [...keptDrafts.values(), ...unfinishedForms.values()]) {
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
        const match = KEPT_FILE.exec(name);
        if (!match) continue;
        const [, id, kind] = match as unknown as [string, string, KeptKind];
        try {
          const sealed = JSON.parse(await readFile(join(dir, name), 'utf8')) as SealedDraft;
          const plain = await deps.cipher.open(sealedAs(kind, id), sealed);
          if (kind === 'unfinished') {
            unfinishedForms.set(id, readUnfinished(id, plain));
          } else {
            keptDrafts.set(id, readDraft(id, plain));
          }
          saved.add(id);
        } catch (error) {
          // Left in place: a keychain that is locked now may open it at the next start.
          deps.log.warn('write.draft-unreadable', { file: name, reason: errorReason(error) });
        }
      }
    },
  };
}
