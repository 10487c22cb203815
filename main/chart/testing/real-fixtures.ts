import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REAL_FIXTURES_DIR } from './replay-server';

type Json = Record<string, unknown>;

/** A file of fixtures/real/ (see fixtures/real/SOURCES.md for where each comes from). */
export function readReal(file: string): Json {
  return JSON.parse(readFileSync(path.join(REAL_FIXTURES_DIR, file), 'utf8')) as Json;
}

/** A resource of a fixture: the file itself, or the entry of a Bundle with this id. */
export function realResource(file: string, id?: string): Json {
  const json = readReal(file);
  if (id === undefined || json.id === id) return json;
  const entries = Array.isArray(json.entry) ? (json.entry as Array<{ resource?: Json }>) : [];
  const found = entries.find((entry) => entry.resource?.id === id)?.resource;
  if (!found) throw new Error(`No resource ${id} in fixtures/real/${file}.`);
  return found;
}

/** Every resource of a Bundle fixture whose entries are search matches (or carry no search mode). */
export function realMatches(file: string): Json[] {
  const entries = (readReal(file).entry ?? []) as Array<{ resource?: Json; search?: { mode?: string } }>;
  return entries
    .filter((entry) => entry.resource && (entry.search?.mode ?? 'match') === 'match')
    .map((entry) => entry.resource as Json);
}
