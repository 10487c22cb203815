import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { userDataDir } from './user-data-dir';

describe('userDataDir', () => {
  it('follows each OS convention, as Electron does', () => {
    expect(userDataDir('win32', { APPDATA: 'C:\\Users\\dr\\AppData\\Roaming' }, 'C:\\Users\\dr')).toBe(
      'C:\\Users\\dr\\AppData\\Roaming\\ChartDesk',
    );
    expect(userDataDir('darwin', {}, '/Users/dr')).toBe('/Users/dr/Library/Application Support/ChartDesk');
    expect(userDataDir('linux', {}, '/home/dr')).toBe('/home/dr/.config/ChartDesk');
    expect(userDataDir('linux', { XDG_CONFIG_HOME: '/cfg' }, '/home/dr')).toBe('/cfg/ChartDesk');
  });
  it('lets CHARTDESK_USER_DATA override it', () => {
    expect(userDataDir('linux', { CHARTDESK_USER_DATA: '/tmp/cd' }, '/home/dr')).toBe(path.resolve('/tmp/cd'));
  });
});
