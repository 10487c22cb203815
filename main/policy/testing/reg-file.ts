import type { RegistryKey, RegistryValue } from '../registry-policy';

/**
 * Test support: reads a .reg file (the format IT imports with `reg import`) into the same key
 * tree that parseRegQuery gives, so the guide's example can be checked against the loader.
 * Only the value kinds the policy uses: strings, dword and hex(7) (REG_MULTI_SZ).
 */
export function parseRegFile(text: string): RegistryKey {
  const lines = text.replace(/\\\r?\n\s*/g, '').split(/\r?\n/);
  const root: RegistryKey = { values: {}, subkeys: {} };
  let rootPath: string | null = null;
  let current = root;
  for (const line of lines) {
    if (line === '' || line.startsWith(';') || line.startsWith('Windows Registry Editor')) continue;
    const section = /^\[(.+)\]$/.exec(line);
    if (section) {
      const keyPath = section[1]!;
      rootPath ??= keyPath;
      current = root;
      const relative = keyPath === rootPath ? [] : keyPath.slice(rootPath.length + 1).split('\\');
      for (const name of relative) current = current.subkeys[name] ??= { values: {}, subkeys: {} };
      continue;
    }
    const value = /^"((?:[^"\\]|\\.)*)"=(.*)$/.exec(line);
    if (!value) throw new Error(`unexpected .reg line: ${line}`);
    current.values[unescape(value[1]!)] = regFileValue(value[2]!);
  }
  return root;
}

function regFileValue(data: string): RegistryValue {
  if (data.startsWith('"')) return unescape(data.slice(1, -1));
  if (data.startsWith('dword:')) return Number.parseInt(data.slice('dword:'.length), 16);
  if (data.startsWith('hex(7):')) {
    const bytes = Buffer.from(
      data
        .slice('hex(7):'.length)
        .split(',')
        .map((byte) => Number.parseInt(byte, 16)),
    );
    return bytes
      .toString('utf16le')
      .split('\0')
      .filter((item) => item !== '');
  }
  throw new Error(`unsupported .reg value: ${data}`);
}

const unescape = (text: string) => text.replace(/\\(.)/g, '$1');
