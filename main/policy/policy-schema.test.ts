import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { describe, expect, it } from 'vitest';
import { policyJsonSchema } from './policy-schema';

const docs = path.resolve(import.meta.dirname, '../../docs');
const committed = JSON.parse(readFileSync(path.join(docs, 'policy.schema.json'), 'utf8'));

describe('docs/policy.schema.json', () => {
  it('is in step with main/policy/policy-schema.ts (regenerate: npx tsx scripts/write-policy-schema.ts)', () => {
    expect(committed).toEqual(policyJsonSchema());
  });

  it('accepts the example policy and rejects a misspelt or mistyped one, as IT tools will', () => {
    const validate = new Ajv2020({ allErrors: true }).compile(committed);
    const example = JSON.parse(readFileSync(path.join(docs, 'policy-examples/policy.json'), 'utf8'));
    expect(validate(example)).toBe(true);
    expect(validate({ ...example, allowAddConnection: false })).toBe(false);
    expect(validate({ ...example, idleLockMinutes: '10' })).toBe(false);
    expect(validate({ ...example, connections: [{ name: 'no key' }] })).toBe(false);
  });
});
