import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logging/logger';
import { loadPolicy, policyNotices, type PolicyDeps } from './load-policy';
import { managedConnections } from './managed-connections';
import { osPolicyReaders } from './os-readers';
import { LINUX_POLICY_FILE, MACOS_MANAGED_PREFERENCES, WINDOWS_POLICY_KEY } from './policy-location';

const examplePolicy = readFileSync(path.resolve(import.meta.dirname, '../../docs/policy-examples/policy.json'), 'utf8');
const regQueryOutput = readFileSync(path.join(import.meta.dirname, 'testing/reg-query-s.out'), 'utf8');
const plutilOutput = readFileSync(path.join(import.meta.dirname, 'testing/plutil-convert-json.out'), 'utf8');

/** Readers that answer from an in-memory "machine" and record what was asked. */
function fakeMachine(machine: {
  files?: Record<string, string>;
  registry?: Record<string, string>;
  plists?: Record<string, string>;
}) {
  const asked: string[] = [];
  const lines: string[] = [];
  const answer = (kind: string, table: Record<string, string> | undefined, where: string) => {
    asked.push(`${kind} ${where}`);
    return Promise.resolve(table?.[where] ?? null);
  };
  const deps = (platform: NodeJS.Platform, env: Record<string, string> = {}): PolicyDeps => ({
    platform,
    env,
    logger: createLogger((line) => lines.push(line)),
    readTextFile: (file) => answer('file', machine.files, file),
    queryRegistry: (key) => answer('registry', machine.registry, key),
    plistAsJson: (file) => answer('plist', machine.plists, file),
  });
  return { deps, asked, lines };
}

describe('loadPolicy: where it looks', () => {
  it.each([
    ['win32', `registry ${WINDOWS_POLICY_KEY}`],
    ['darwin', `plist ${MACOS_MANAGED_PREFERENCES}`],
    ['linux', `file ${LINUX_POLICY_FILE}`],
  ] as const)('reads %s policy from %s', async (platform, expected) => {
    const machine = fakeMachine({});
    await loadPolicy(machine.deps(platform));
    expect(machine.asked).toEqual([expected]);
  });

  it.each(['win32', 'darwin', 'linux'] as const)('reads CHARTDESK_POLICY_FILE instead on %s', async (platform) => {
    const machine = fakeMachine({ files: { '/tmp/it-check.json': examplePolicy } });
    const loaded = await loadPolicy(machine.deps(platform, { CHARTDESK_POLICY_FILE: '/tmp/it-check.json' }));
    expect(machine.asked).toEqual(['file /tmp/it-check.json']);
    expect(loaded.status).toMatchObject({ source: '/tmp/it-check.json', applied: true });
  });
});

describe('loadPolicy: a valid policy', () => {
  it('applies the JSON example from the IT guide', async () => {
    const machine = fakeMachine({ files: { [LINUX_POLICY_FILE]: examplePolicy } });
    const { status, policy } = await loadPolicy(machine.deps('linux'));
    expect(status).toEqual({
      source: LINUX_POLICY_FILE,
      applied: true,
      error: null,
      allowAddConnections: false,
      idleLockMinutes: 10,
      allowedWriteKinds: ['vitals', 'notes'],
    });
    expect(policy).toMatchObject({
      allowedLaunchIssuers: ['https://fhir.hospital.example.org/api/FHIR/R4'],
      persistTokens: true,
      updates: { enabled: false },
    });
    expect(machine.lines.map((line) => JSON.parse(line).event)).toEqual(['policy.applied']);
  });

  it('fills in the defaults of a minimal policy: updates off, 15-minute lock, adding allowed, 4 requests in flight, DevTools closed', async () => {
    const machine = fakeMachine({ files: { [LINUX_POLICY_FILE]: '{}' } });
    const { status, policy } = await loadPolicy(machine.deps('linux'));
    expect(status).toMatchObject({ applied: true, allowAddConnections: true, idleLockMinutes: 15 });
    expect(policy).toEqual({
      connections: [],
      allowAddConnections: true,
      idleLockMinutes: 15,
      maxRequestsInFlight: 4,
      persistTokens: true,
      allowDevTools: false,
      updates: { enabled: false },
    });
  });

  it('reads the same policy from the registry (reg query /s output)', async () => {
    const fromJson = await loadPolicy(fakeMachine({ files: { [LINUX_POLICY_FILE]: examplePolicy } }).deps('linux'));
    const machine = fakeMachine({ registry: { [WINDOWS_POLICY_KEY]: regQueryOutput } });
    const fromRegistry = await loadPolicy(machine.deps('win32'));
    expect(fromRegistry.status).toMatchObject({ source: WINDOWS_POLICY_KEY, applied: true, error: null });
    const { $schema: _schema, ...expected } = fromJson.policy!;
    expect(fromRegistry.policy).toEqual(expected);
  });

  it('reads the same policy from macOS managed preferences, ignoring Payload keys', async () => {
    const fromJson = await loadPolicy(fakeMachine({ files: { [LINUX_POLICY_FILE]: examplePolicy } }).deps('linux'));
    const machine = fakeMachine({ plists: { [MACOS_MANAGED_PREFERENCES]: plutilOutput } });
    const fromPlist = await loadPolicy(machine.deps('darwin'));
    expect(fromPlist.status).toMatchObject({ source: MACOS_MANAGED_PREFERENCES, applied: true, error: null });
    const { $schema: _schema, ...expected } = fromJson.policy!;
    expect(fromPlist.policy).toEqual(expected);
  });
});

describe('loadPolicy: an invalid policy is reported and ignored as a whole', () => {
  const broken = JSON.stringify({
    allowAddConnections: false,
    idleLockMinutes: 0,
    maxRequestsInFlight: 100,
    connections: [{ key: 'epic-prod', name: 'Epic', fhirBaseUrl: 'ftp://fhir.example.org', clientId: 'x' }],
    autoUpdate: true,
  });

  it('says where and what is wrong, applies nothing managed, and logs it', async () => {
    const machine = fakeMachine({ files: { [LINUX_POLICY_FILE]: broken } });
    const { status, policy } = await loadPolicy(machine.deps('linux'));
    expect(policy).toBeNull();
    expect(managedConnections(policy)).toEqual([]);
    // Nothing of the broken policy leaks into what the app applies.
    expect(status).toMatchObject({ source: LINUX_POLICY_FILE, applied: false, allowAddConnections: true, idleLockMinutes: 15 });
    expect(status.error).toContain('(policy): Unrecognized key: "autoUpdate"');
    expect(status.error).toContain('idleLockMinutes: Too small');
    expect(status.error).toContain('maxRequestsInFlight: Too big');
    const logged = machine.lines.map((line) => JSON.parse(line));
    expect(logged).toEqual([expect.objectContaining({ level: 'error', event: 'policy.invalid', error: status.error })]);
  });

  it('tells the clinician that the policy was ignored, and why; a valid policy raises no notice', async () => {
    const { status } = await loadPolicy(fakeMachine({ files: { [LINUX_POLICY_FILE]: broken } }).deps('linux'));
    expect(policyNotices(status)).toEqual([
      { level: 'error', message: `IT's managed configuration was ignored: ${status.error}`, connectionId: null },
    ]);
    const valid = await loadPolicy(fakeMachine({ files: { [LINUX_POLICY_FILE]: examplePolicy } }).deps('linux'));
    expect(policyNotices(valid.status)).toEqual([]);
  });

  it('names the connection field that fails the connection rules', async () => {
    const machine = fakeMachine({
      files: {
        [LINUX_POLICY_FILE]: JSON.stringify({
          connections: [
            { key: 'epic-prod', name: 'Epic', fhirBaseUrl: 'ftp://fhir.example.org', clientId: 'x' },
            { key: 'epic-prod', name: ' ', fhirBaseUrl: 'https://fhir.example.org', clientId: 'has space' },
          ],
        }),
      },
    });
    const { status } = await loadPolicy(machine.deps('linux'));
    expect(status.error).toContain('connections[0].fhirBaseUrl: must be an http(s) URL');
    expect(status.error).toContain('connections[1].key: duplicate key "epic-prod"');
    expect(status.error).toContain('connections[1].name: is required');
    expect(status.error).toContain('connections[1].clientId: must be printable ASCII without spaces');
  });

  it('requires a feed before updates can be switched on', async () => {
    const machine = fakeMachine({ files: { [LINUX_POLICY_FILE]: '{"updates":{"enabled":true}}' } });
    expect((await loadPolicy(machine.deps('linux'))).status.error).toBe(
      'updates.feedUrl: feedUrl is required when updates are enabled',
    );
  });

  it('reports a file that is not JSON', async () => {
    const machine = fakeMachine({ files: { [LINUX_POLICY_FILE]: '{ "allowAddConnections": false, }' } });
    const { status } = await loadPolicy(machine.deps('linux'));
    expect(status).toMatchObject({ applied: false, source: LINUX_POLICY_FILE });
    expect(status.error).toMatch(/^could not be read: not valid JSON/);
  });

  it('reports a registry value of the wrong type', async () => {
    const output = '\r\nHKEY_LOCAL_MACHINE\\Software\\Policies\\ChartDesk\r\n    IdleLockMinutes    REG_SZ    ten\r\n';
    const machine = fakeMachine({ registry: { [WINDOWS_POLICY_KEY]: output } });
    const { status } = await loadPolicy(machine.deps('win32'));
    expect(status.error).toMatch(/^idleLockMinutes: Invalid input: expected number, received string/);
  });

  it('reports a reader that fails', async () => {
    const { deps } = fakeMachine({});
    const failing: PolicyDeps = { ...deps('darwin'), plistAsJson: () => Promise.reject(new Error('plutil: invalid format')) };
    const { status, policy } = await loadPolicy(failing);
    expect(policy).toBeNull();
    expect(status).toMatchObject({
      source: MACOS_MANAGED_PREFERENCES,
      applied: false,
      error: 'could not be read: plutil: invalid format',
    });
  });
});

describe('loadPolicy: no policy', () => {
  it('applies nothing and reports no source', async () => {
    const machine = fakeMachine({});
    const { status, policy } = await loadPolicy(machine.deps('linux'));
    expect(policy).toBeNull();
    expect(status).toEqual({
      source: null,
      applied: false,
      error: null,
      allowAddConnections: true,
      idleLockMinutes: 15,
      allowedWriteKinds: ['vitals', 'notes', 'medication-orders'],
    });
  });
});

describe('loadPolicy with the real readers', () => {
  let folder: string | null = null;
  afterEach(() => {
    if (folder) rmSync(folder, { recursive: true, force: true });
    folder = null;
  });

  it('reads CHARTDESK_POLICY_FILE from disk, and treats a missing file as no policy', async () => {
    folder = mkdtempSync(path.join(tmpdir(), 'chartdesk-policy-'));
    const file = path.join(folder, 'policy.json');
    const deps = (): PolicyDeps => ({
      ...osPolicyReaders,
      platform: process.platform,
      env: { CHARTDESK_POLICY_FILE: file },
      logger: createLogger(() => {}),
    });
    expect((await loadPolicy(deps())).status.source).toBeNull();
    writeFileSync(file, examplePolicy);
    expect((await loadPolicy(deps())).status).toMatchObject({ source: file, applied: true, idleLockMinutes: 10 });
  });

  it('treats a missing managed-preferences file as no policy without running plutil', async () => {
    folder = mkdtempSync(path.join(tmpdir(), 'chartdesk-policy-'));
    await expect(osPolicyReaders.plistAsJson(path.join(folder, 'org.chartdesk.desktop.plist'))).resolves.toBeNull();
  });
});
