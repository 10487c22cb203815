/** The sandbox's sign-in users, each mapped to a Practitioner of the loaded data. */
import type { FhirResource } from '../data/fhir-types.js';
import type { SandboxUser } from '../types.js';

const ACCOUNTS = [
  { id: 'clinician', password: 'clinician-pass' },
  { id: 'resident', password: 'resident-pass' },
  { id: 'nurse', password: 'nurse-pass' },
];

function displayName(practitioner: FhirResource): string {
  const name = (practitioner.name as Array<{ prefix?: string[]; given?: string[]; family?: string }> | undefined)?.[0];
  const parts = [...(name?.prefix ?? []), ...(name?.given ?? []), name?.family].filter(Boolean);
  return parts.length > 0 ? parts.join(' ') : `Practitioner ${practitioner.id}`;
}

/** One user per account, bound to the first Practitioners of the data set in load order. */
export function buildUsers(practitioners: FhirResource[]): SandboxUser[] {
  if (practitioners.length === 0) throw new Error('the data set holds no Practitioner to sign in as');
  return ACCOUNTS.map((account, i) => {
    const practitioner = practitioners[i % practitioners.length] as FhirResource;
    return {
      id: account.id,
      username: account.id,
      password: account.password,
      practitionerId: practitioner.id,
      displayName: displayName(practitioner),
    };
  });
}
