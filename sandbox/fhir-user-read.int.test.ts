/**
 * The signed-in user's own resource (the fhirUser claim) is readable with `openid fhirUser`, even
 * under patient-level resource scopes (SMART 2.2: the app SHALL read it, INF#202); other
 * Practitioners are not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from './index.js';
import { fhirGet, tokenFor } from './testing/oauth-driver.js';

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ autoApprove: true });
});
afterAll(() => sandbox.stop());

describe('reading fhirUser', () => {
  it('reads the own Practitioner with openid fhirUser, and no other', async () => {
    const [me, colleague] = sandbox.users;
    const { tokens } = await tokenFor(sandbox.fhirBaseUrl, 'launch/patient openid fhirUser patient/Observation.rs');
    const own = await fhirGet(`${sandbox.fhirBaseUrl}/Practitioner/${me!.practitionerId}`, tokens.access_token);
    expect(own.status).toBe(200);
    expect((await fhirGet(`${sandbox.fhirBaseUrl}/Practitioner/${colleague!.practitionerId}`, tokens.access_token)).status).toBe(
      403,
    );
  });

  it('does not without the fhirUser scope', async () => {
    const { tokens } = await tokenFor(sandbox.fhirBaseUrl, 'launch/patient openid patient/Observation.rs');
    expect(
      (await fhirGet(`${sandbox.fhirBaseUrl}/Practitioner/${sandbox.users[0]!.practitionerId}`, tokens.access_token)).status,
    ).toBe(403);
  });
});
