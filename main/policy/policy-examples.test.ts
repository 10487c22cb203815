import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logging/logger';
import { loadPolicy, type PolicyDeps } from './load-policy';
import { managedPolicySchema, policyJsonSchema } from './policy-schema';
import { registryToPolicyInput, type SchemaNode } from './registry-policy';
import { parseRegFile } from './testing/reg-file';

/** The IT guide's three examples (docs/policy-examples/) say the same thing, and the loader reads each. */
const examples = path.resolve(import.meta.dirname, '../../docs/policy-examples');
const read = (name: string) => readFileSync(path.join(examples, name), 'utf8');
// electron-builder's own plist parser, which it uses for Info.plist.
const plist = createRequire(import.meta.url)('plist') as { parse(xml: string): unknown };

const { $schema: _schema, ...jsonPolicy } = managedPolicySchema.parse(JSON.parse(read('policy.json')));

describe('docs/policy-examples', () => {
  it('the .reg file gives the same policy as policy.json', () => {
    const input = registryToPolicyInput(parseRegFile(read('chartdesk-policy.reg')), policyJsonSchema() as SchemaNode);
    expect(managedPolicySchema.parse(input)).toEqual(jsonPolicy);
  });

  it('the .mobileconfig payload gives the same policy as policy.json', async () => {
    const profile = plist.parse(read('chartdesk-policy.mobileconfig')) as { PayloadContent: [Record<string, unknown>] };
    const [settings] = profile.PayloadContent;
    expect(settings.PayloadType).toBe('org.chartdesk.desktop');
    const deps: PolicyDeps = {
      platform: 'darwin',
      env: {},
      logger: createLogger(() => {}),
      readTextFile: () => Promise.resolve(null),
      queryRegistry: () => Promise.resolve(null),
      // What `plutil -convert json` prints for the managed preferences the profile installs.
      plistAsJson: () => Promise.resolve(JSON.stringify(settings)),
    };
    const loaded = await loadPolicy(deps);
    expect(loaded.status.error).toBeNull();
    expect(loaded.policy).toEqual(jsonPolicy);
  });
});
