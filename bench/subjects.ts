/** The patients the bench loads, each on its own auto-approving sandbox with a token for it. */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { BIG_PATIENT_ID } from '../sandbox/data/big';
import { startSandbox, type Sandbox } from '../sandbox/index';
import { signIn, type SignedIn, type SignInTiming } from './sign-in';

export type SubjectName = 'synthea' | 'big10k' | 'big50k';

export interface Subject {
  name: SubjectName;
  /** Generated Observations, or null for the Synthea patient. */
  observations: number | null;
  sandbox: Sandbox;
  session: SignedIn;
  signIns: SignInTiming[];
}

/** The Patient id of the largest bundle in a Synthea folder: the richest chart of the set. */
export async function largestSyntheaPatient(dataDir: string): Promise<string> {
  const files = (await readdir(dataDir)).filter((name) => name.endsWith('.json'));
  const sized = await Promise.all(files.map(async (name) => ({ name, size: (await stat(path.join(dataDir, name))).size })));
  for (const { name } of sized.sort((a, b) => b.size - a.size)) {
    const bundle = JSON.parse(await readFile(path.join(dataDir, name), 'utf8')) as {
      entry?: Array<{ resource?: { resourceType?: string; id?: string } }>;
    };
    const patient = bundle.entry?.find((entry) => entry.resource?.resourceType === 'Patient')?.resource?.id;
    if (patient) return patient;
  }
  throw new Error(`no Synthea patient bundle in ${dataDir}`);
}

export async function startSubject(name: SubjectName, syntheaDir: string, signIns: number): Promise<Subject> {
  const observations = name === 'big10k' ? 10_000 : name === 'big50k' ? 50_000 : null;
  const sandbox =
    observations === null
      ? await startSandbox({ dataDir: syntheaDir, autoApprove: { patient: await largestSyntheaPatient(syntheaDir) } })
      : await startSandbox({ bigObservations: observations, autoApprove: { patient: BIG_PATIENT_ID } });
  try {
    const sessions: SignedIn[] = [];
    for (let i = 0; i < signIns; i += 1) sessions.push(await signIn(sandbox.fhirBaseUrl));
    const session = sessions.at(-1);
    if (!session) throw new Error('at least one sign-in is needed');
    return { name, observations, sandbox, session, signIns: sessions.map((s) => s.timing) };
  } catch (error) {
    await sandbox.stop();
    throw error;
  }
}
