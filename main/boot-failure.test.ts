import { describe, expect, it } from 'vitest';
import { bootFailureMessage } from './boot-failure';

const DIR = '/home/dr/.config/ChartDesk';
const fsError = (code: string, syscall: string, path?: string) =>
  Object.assign(new Error(`${code}: failed, ${syscall}`), { code, syscall, ...(path ? { path } : {}) });

describe('the message of the error box when ChartDesk cannot start', () => {
  it('names the file and the problem in words, says what to do and where the log is', () => {
    const message = bootFailureMessage(fsError('EACCES', 'open', `${DIR}/connections.json`), DIR);
    expect(message).toBe(
      `ChartDesk could not start because it cannot use ${DIR}/connections.json (permission denied). Check that your ` +
        'user account can read and write them, or ask your IT department.\n\n' +
        `The details are in the log folder: ${DIR}/logs`,
    );
  });

  it('names the user-data folder when the error has no path, and an unknown code as it is', () => {
    expect(bootFailureMessage(fsError('EISDIR', 'read'), DIR)).toContain(
      `cannot use its files in ${DIR} (a folder stands where a file should be)`,
    );
    expect(bootFailureMessage(fsError('EIO', 'read'), DIR)).toContain(`cannot use its files in ${DIR} (EIO)`);
  });

  it('gives any other error its message, redacted and bounded', () => {
    const message = bootFailureMessage(new Error(`refused Bearer abc.def.ghi ${'x'.repeat(1000)}`), DIR);
    expect(message).toMatch(/^ChartDesk could not start because of an unexpected error \(refused Bearer \[redacted\] x+\)\./);
    expect(message).not.toContain('abc.def.ghi');
    expect(message.length).toBeLessThan(600);
    expect(bootFailureMessage('no error object', DIR)).toContain('unexpected error (no error object)');
  });
});
