import { describe, expect, it } from 'vitest';
import { CONNECTION_DEFAULTS } from '../../common/connections';
import type { ConnectionWithSession, SessionView } from '../../common/sessions';
import type { WriteKind } from '../../common/write-kinds';
import { writeAvailabilities } from './write-availability';

function item(kinds: WriteKind[], session: Partial<SessionView>): ConnectionWithSession {
  return {
    connection: {
      id: 'c1',
      name: 'Hospital EHR',
      fhirBaseUrl: 'https://ehr.example.org/fhir',
      clientId: 'cd',
      ...CONNECTION_DEFAULTS,
      writeKinds: kinds,
      managed: 'no',
    },
    session: { status: 'signed-in', scopes: null, ...session } as SessionView,
  };
}

const granted = (writeActions: string[], missingWriteActions: string[] = []) =>
  ({
    grantedSections: [],
    missingSections: [],
    writeActions,
    missingWriteActions,
    offlineAccess: false,
    raw: '',
  }) as unknown as SessionView['scopes'];

describe('what may be written, and why not', () => {
  it('offers what policy, connection and grant all allow', () => {
    const all = writeAvailabilities(item(['vitals', 'notes'], { scopes: granted(['record-vitals'], ['write-note']) }), [
      'vitals',
      'notes',
      'medication-orders',
    ]);
    expect(all['record-vitals']).toEqual({ offered: true });
    expect(all['write-note']).toEqual({
      offered: false,
      reason: expect.stringContaining('did not grant ChartDesk permission to create DocumentReference'),
    });
    expect(all['propose-medication']).toEqual({ offered: false, reason: expect.stringContaining('is off for this connection') });
  });

  it("IT's refusal and the connection's switch are the reason whatever the session; then a missing sign-in", () => {
    const signedOut = item(['vitals'], { status: 'signed-out' });
    const result = writeAvailabilities(signedOut, ['notes']);
    expect(result['record-vitals'].offered === false && result['record-vitals'].reason).toBe(
      'Your IT department does not allow ChartDesk to record vital signs.',
    );
    expect(writeAvailabilities(signedOut, ['vitals'])['record-vitals']).toEqual({
      offered: false,
      reason: 'Sign in to Hospital EHR to record vital signs.',
    });
  });
});
