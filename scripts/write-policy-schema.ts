import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { format, resolveConfig } from 'prettier';
import { policyJsonSchema } from '../main/policy/policy-schema';

/** Regenerates docs/policy.schema.json from main/policy/policy-schema.ts (a test keeps them in step). */
export const POLICY_SCHEMA_FILE = path.resolve(import.meta.dirname, '../docs/policy.schema.json');

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const options = await resolveConfig(POLICY_SCHEMA_FILE);
  const text = await format(JSON.stringify(policyJsonSchema()), { ...options, filepath: POLICY_SCHEMA_FILE });
  await writeFile(POLICY_SCHEMA_FILE, text);
  console.log(`Wrote ${path.relative(process.cwd(), POLICY_SCHEMA_FILE)}`);
}
