import { describe, expect, it } from 'vitest';
import { DEFAULT_CLI_PORT, serveOptions, UsageError } from './cli.js';

describe('npm run sandbox: --auto-approve', () => {
  it('is on when bare and last', () => {
    expect(serveOptions(['--data', 'fixtures/synthea-r4', '--auto-approve'])).toMatchObject({
      dataDir: 'fixtures/synthea-r4',
      autoApprove: true,
      port: DEFAULT_CLI_PORT,
    });
  });

  it('is on when bare and followed by another option, which keeps its own value', () => {
    expect(serveOptions(['--auto-approve', '--port', '0', '--profile', 'epic-like'])).toMatchObject({
      autoApprove: true,
      port: 0,
      profile: 'epic-like',
    });
    expect(serveOptions(['--auto-approve', '--quiet'])).toMatchObject({ autoApprove: true, quiet: true });
  });

  it('takes user=…,patient=… as the next argument or after =', () => {
    expect(serveOptions(['--auto-approve', 'user=nurse,patient=sbx-mei-chen', '--port', '0'])).toMatchObject({
      autoApprove: { user: 'nurse', patient: 'sbx-mei-chen' },
      port: 0,
    });
    expect(serveOptions(['--auto-approve=patient=sbx-mei-chen'])).toMatchObject({ autoApprove: { patient: 'sbx-mei-chen' } });
  });

  it('is off when absent', () => {
    expect(serveOptions(['--port', '0'])).not.toHaveProperty('autoApprove');
  });

  it('refuses a value that is not user=…,patient=…', () => {
    expect(() => serveOptions(['--auto-approve=doctor=who'])).toThrow(UsageError);
    expect(() => serveOptions(['--auto-approve=user='])).toThrow(/user=<id>,patient=<id>/);
  });

  it('leaves a positional argument after it to parseArgs, which refuses it', () => {
    expect(() => serveOptions(['--auto-approve', 'nurse'])).toThrow(TypeError);
  });
});
