import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_ID, CUSTOM_SCHEME_REDIRECT_URI, DEEP_LINK_SCHEME } from '../common/app-identity';
import { backupPath } from '../main/connections/json-file';
import { CONNECTIONS_FILE } from '../main/connections/connection-store';
import { userDataDir } from '../main/browser-view/user-data-dir';
import { describeIssues } from '../main/policy/load-policy';
import { MANAGED_ID_PREFIX } from '../main/policy/managed-connections';
import {
  LINUX_POLICY_FILE,
  MACOS_MANAGED_PREFERENCES,
  POLICY_FILE_ENV,
  WINDOWS_POLICY_KEY,
} from '../main/policy/policy-location';
import { managedPolicySchema } from '../main/policy/policy-schema';
import { KEYCHAIN_SERVICE } from '../main/vault/secret-store';
import { AUDIT_FILE } from '../main/writes/audit-trail';
import { DRAFT_KEY_ACCOUNT } from '../main/writes/draft-cipher';

/** docs/IT-GUIDE.md says what the code does: names, paths, commands and examples. */
const root = path.resolve(import.meta.dirname, '..');
const guide = readFileSync(path.join(root, 'docs/IT-GUIDE.md'), 'utf8');
const scripts = Object.keys(JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).scripts);

describe('docs/IT-GUIDE.md', () => {
  it('runs only npm scripts that exist', () => {
    const mentioned = new Set([...guide.matchAll(/npm run (?:-s )?([\w:-]+)/g)].map((match) => match[1]!));
    expect([...mentioned].filter((name) => !scripts.includes(name))).toEqual([]);
    expect(mentioned).toContain('package');
    expect(mentioned).toContain('package:dir');
    expect(mentioned).toContain('doctor');
    expect(mentioned).toContain('chart');
  });

  it('names the identifiers, policy locations and stored files the code uses', () => {
    for (const name of [
      APP_ID,
      `${APP_ID}.desktop`,
      `x-scheme-handler/${DEEP_LINK_SCHEME}`,
      CUSTOM_SCHEME_REDIRECT_URI,
      WINDOWS_POLICY_KEY,
      MACOS_MANAGED_PREFERENCES,
      LINUX_POLICY_FILE,
      POLICY_FILE_ENV,
      `service \`${KEYCHAIN_SERVICE}\``,
      `\`${CONNECTIONS_FILE}\``,
      `\`${backupPath(CONNECTIONS_FILE)}\``,
      `\`${MANAGED_ID_PREFIX}<key>\``,
      `\`${DRAFT_KEY_ACCOUNT}\``,
      `\`${AUDIT_FILE}\``,
    ]) {
      expect(guide).toContain(name);
    }
  });

  it('gives the user-data folder each OS really uses', () => {
    expect(guide).toContain(`\`${userDataDir('win32', { APPDATA: '%APPDATA%' }, 'C:\\Users\\x')}\\logs\\chartdesk.log\``);
    expect(guide).toContain(`\`${userDataDir('darwin', {}, '~')}/logs/chartdesk.log\``);
    expect(guide).toContain(`\`${userDataDir('linux', {}, '~')}/logs/chartdesk.log\``);
  });

  it('shows the JSON example exactly as docs/policy-examples/policy.json', () => {
    const block = /```json\n([\s\S]*?)\n```/.exec(guide)?.[1];
    const file = readFileSync(path.join(root, 'docs/policy-examples/policy.json'), 'utf8');
    expect(JSON.parse(block!)).toEqual(JSON.parse(file));
  });

  it('quotes an invalid-policy message the way the loader words it', () => {
    const parsed = managedPolicySchema.safeParse({
      idleLockMinutes: 0,
      connections: [{ key: 'epic-prod', name: 'Epic', fhirBaseUrl: 'ftp://fhir.example.org', clientId: 'x' }],
    });
    expect(parsed.success).toBe(false);
    expect(guide).toContain(`\`${describeIssues(parsed.error!.issues)}\``);
  });
});
