import { describe, expect, it } from 'vitest';
import { managedConnections } from './managed-connections';
import { managedPolicySchema } from './policy-schema';

const entry = { key: 'epic-prod', name: 'Epic', fhirBaseUrl: 'https://fhir.example.org/R4', clientId: 'abc' };

describe('managedConnections', () => {
  it('is empty without a policy', () => {
    expect(managedConnections(null)).toEqual([]);
  });

  it('turns each entry into a connection with defaults, locked unless IT says otherwise', () => {
    const policy = managedPolicySchema.parse({ connections: [entry, { ...entry, key: 'test', locked: false }] });
    expect(managedConnections(policy)).toEqual([
      {
        id: 'managed-epic-prod',
        managed: 'locked',
        name: 'Epic',
        fhirBaseUrl: 'https://fhir.example.org/R4',
        clientId: 'abc',
        redirectMode: 'custom-scheme',
        scopeSyntax: 'auto',
        scopes: '',
        allowUnknownEhrLaunch: false,
        sendEpicClientIdHeader: false,
        registerDevice: false,
        writeKinds: [],
      },
      expect.objectContaining({ id: 'managed-test', managed: 'editable' }),
    ]);
  });

  it('lets IT turn on device registration for a connection', () => {
    const policy = managedPolicySchema.parse({ connections: [{ ...entry, registerDevice: true }] });
    expect(managedConnections(policy)[0]?.registerDevice).toBe(true);
  });

  it('lets IT turn on kinds of writing for a connection, within allowedWriteKinds', () => {
    const policy = managedPolicySchema.parse({
      allowedWriteKinds: ['vitals', 'notes'],
      connections: [{ ...entry, writeKinds: ['notes', 'vitals'] }],
    });
    expect(managedConnections(policy)[0]?.writeKinds).toEqual(['vitals', 'notes']);
    const refused = managedPolicySchema.safeParse({
      allowedWriteKinds: ['vitals'],
      connections: [{ ...entry, writeKinds: ['vitals', 'medication-orders'] }],
    });
    expect(refused.error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)).toEqual([
      'connections.0.writeKinds: medication-orders not in allowedWriteKinds',
    ]);
  });

  it('keeps the id when IT changes the URL or name, so sessions stay attached', () => {
    const before = managedConnections(managedPolicySchema.parse({ connections: [entry] }));
    const after = managedConnections(
      managedPolicySchema.parse({ connections: [{ ...entry, name: 'Epic (new)', fhirBaseUrl: 'https://new.example.org/R4' }] }),
    );
    expect(after[0]!.id).toBe(before[0]!.id);
  });

  it("uses the policy's redirect mode unless the entry names its own", () => {
    const policy = managedPolicySchema.parse({
      redirectMode: 'loopback',
      connections: [entry, { ...entry, key: 'own', redirectMode: 'custom-scheme' }],
    });
    expect(managedConnections(policy).map((connection) => connection.redirectMode)).toEqual(['loopback', 'custom-scheme']);
  });
});
