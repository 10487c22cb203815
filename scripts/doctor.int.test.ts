/**
 * `npm run doctor -- <base> --json` against the sandbox's imitation of the SMART reference server: its base without
 * launch options serves EHR launches only (exit 3), its base with standalone launch options lets ChartDesk sign in.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EndpointReport } from '../common/endpoint-report';
import { startSandbox, type Sandbox } from '../sandbox/index';

let ehrOnly: Sandbox;
let standalone: Sandbox;
beforeAll(async () => {
  [ehrOnly, standalone] = await Promise.all([
    startSandbox({ profile: 'launcher-like', sim: null }),
    startSandbox({ profile: 'launcher-like' }),
  ]);
});
afterAll(() => Promise.all([ehrOnly.stop(), standalone.stop()]));

const doctor = (base: string) =>
  promisify(execFile)('npx', ['tsx', 'scripts/doctor.ts', base, '--json']).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
  );

describe('npm run doctor against the reference-server imitation', () => {
  it('exits 3 at the EHR-launch-only base (/v/r4/fhir), saying a standalone sign-in is refused there', async () => {
    expect(new URL(ehrOnly.fhirBaseUrl).pathname).toBe('/v/r4/fhir');
    const { code, stdout } = await doctor(ehrOnly.fhirBaseUrl);
    expect(code).toBe(3);
    const report = JSON.parse(stdout) as EndpointReport;
    expect(report).toMatchObject({ canSignIn: false, errors: [], ehrLaunch: { verdict: 'yes' } });
    expect(report.standaloneSignIn).toEqual({
      verdict: 'no',
      reason: expect.stringMatching(/^the EHR refused a standalone sign-in: invalid_request \(Invalid launch options/),
    });
  }, 30_000);

  it('exits 0 where the launch options in the path allow a standalone sign-in', async () => {
    const { code, stdout } = await doctor(standalone.fhirBaseUrl);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      canSignIn: true,
      standaloneSignIn: { verdict: 'yes' },
      ehrLaunch: { verdict: 'yes' },
    });
  }, 30_000);
});
