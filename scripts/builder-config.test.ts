import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { findAndReadConfig } from 'app-builder-lib/out/util/config/load';
import { beforeAll, describe, expect, it } from 'vitest';
import { APP_ID, DEEP_LINK_SCHEME, PRODUCT_NAME } from '../common/app-identity';

/** electron-builder.yml, read by electron-builder's own loader and checked against its own schema. */
const root = path.resolve(import.meta.dirname, '..');
const schema = JSON.parse(readFileSync(path.join(root, 'node_modules/app-builder-lib/scheme.json'), 'utf8'));
const packageJson = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

// strict: false because the schema uses electron-builder's own `typeof` keyword.
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

type Config = Record<string, unknown> & {
  nsis: Record<string, unknown>;
  mac: Record<string, unknown>;
  linux: Record<string, unknown>;
  protocols: { schemes: string[] }[];
};
let config: Config;

beforeAll(async () => {
  const read = await findAndReadConfig<Config>({
    packageKey: 'build',
    configFilename: 'electron-builder',
    projectDir: root,
    packageMetadata: null,
  });
  expect(read?.configFile).toBe(path.join(root, 'electron-builder.yml'));
  config = read!.result;
});

describe('electron-builder.yml', () => {
  it("matches app-builder-lib's scheme.json", () => {
    const valid = validate(config);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('would have a misspelt key caught by the same schema', () => {
    const misspelt = { ...config, protocol: config.protocols, nsis: { ...config.nsis, perMachin: true } };
    expect(validate(misspelt)).toBe(false);
    const complaints = (validate.errors ?? []).map((error) => `${error.instancePath} ${error.params.additionalProperty}`);
    expect(complaints).toContain(' protocol');
    expect(complaints).toContain('/nsis perMachin');
  });

  it('names the app, its scheme and its Linux desktop file as the code does', () => {
    expect(config.appId).toBe(APP_ID);
    expect(config.productName).toBe(PRODUCT_NAME);
    expect(config.protocols.flatMap((protocol) => protocol.schemes)).toEqual([DEEP_LINK_SCHEME]);
    // Electron's setAsDefaultProtocolClient on Linux registers under package.json desktopName.
    expect(packageJson.desktopName).toBe(`${APP_ID}.desktop`);
    expect(config.linux.syncDesktopName).toBe(true);
  });

  it('builds offline-safe, with no update feed', () => {
    expect(config.npmRebuild).toBe(false);
    expect(config.asar).toBe(true);
    expect(config.publish).toBeNull();
  });

  it('sets the release fuses', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('targets every installer IT deploys', () => {
    expect((config.win as { target: string[] }).target).toEqual(['nsis', 'msi']);
    expect(config.mac.target).toEqual(['dmg', 'pkg']);
    expect(config.linux.target).toEqual(['AppImage', 'deb', 'rpm']);
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: false, allowElevation: true });
    expect(config.mac.hardenedRuntime).toBe(true);
  });

  it('ships the NSIS include that registers and removes the scheme', () => {
    const includePath = path.join(root, config.nsis.include as string);
    const include = readFileSync(includePath, 'utf8');
    expect(include).toContain(`!define CHARTDESK_PROTOCOL "${DEEP_LINK_SCHEME}"`);
    expect(include).toMatch(/!macro customInstall[\s\S]*WriteRegStr SHELL_CONTEXT "Software\\Classes\\\$\{CHARTDESK_PROTOCOL\}"/);
    expect(include).toMatch(
      /!macro customUnInstall[\s\S]*DeleteRegKey SHELL_CONTEXT "Software\\Classes\\\$\{CHARTDESK_PROTOCOL\}"/,
    );
  });

  it('ships the macOS entitlements it names', () => {
    const entitlements = readFileSync(path.join(root, config.mac.entitlements as string), 'utf8');
    expect(entitlements).toContain('<key>com.apple.security.cs.allow-jit</key>');
    expect(existsSync(path.join(root, config.mac.entitlementsInherit as string))).toBe(true);
  });
});
