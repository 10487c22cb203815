/**
 * Windows policy: `reg query <key> /s` output → a key tree → the policy's JSON shape.
 * Registry layout (docs/IT-GUIDE.md): value names are the policy's property names (any case);
 * booleans are REG_DWORD 0/1, numbers REG_DWORD, strings REG_SZ, string lists REG_MULTI_SZ;
 * an object is a subkey, and a list of objects is a subkey holding one subkey per item, whose
 * name becomes the item's `key`.
 */

export type RegistryValue = string | number | string[];

export interface RegistryKey {
  values: Record<string, RegistryValue>;
  subkeys: Record<string, RegistryKey>;
}

const VALUE_LINE = /^ {4}(.+?) {4}(REG_[A-Z_]+)(?: {4}(.*))?$/;
const HIVE_LINE = /^HKEY_[A-Z_]+(\\|$)/;

export class RegistryParseError extends Error {
  override name = 'RegistryParseError';
}

export function parseRegQuery(output: string): RegistryKey {
  const root: RegistryKey = { values: {}, subkeys: {} };
  let rootPath: string | null = null;
  let current = root;
  for (const line of output.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    if (HIVE_LINE.test(line)) {
      const keyPath = line.trim();
      rootPath ??= keyPath;
      current = keyAt(root, relativePath(rootPath, keyPath));
      continue;
    }
    const match = VALUE_LINE.exec(line);
    if (!match || rootPath === null) throw new RegistryParseError(`unexpected line in reg query output: ${line.trim()}`);
    const name = match[1]!;
    if (name === '(Default)') continue;
    current.values[name] = registryValue(match[2]!, match[3] ?? '');
  }
  return root;
}

function relativePath(rootPath: string, keyPath: string): string[] {
  if (keyPath.toLowerCase() === rootPath.toLowerCase()) return [];
  if (!keyPath.toLowerCase().startsWith(`${rootPath.toLowerCase()}\\`)) {
    throw new RegistryParseError(`key outside the queried one: ${keyPath}`);
  }
  return keyPath.slice(rootPath.length + 1).split('\\');
}

function keyAt(root: RegistryKey, names: string[]): RegistryKey {
  let key = root;
  for (const name of names) key = key.subkeys[name] ??= { values: {}, subkeys: {} };
  return key;
}

function registryValue(type: string, data: string): RegistryValue {
  switch (type) {
    case 'REG_DWORD':
    case 'REG_QWORD':
      return Number.parseInt(data, 16);
    case 'REG_MULTI_SZ':
      // reg prints the items separated by a literal \0.
      return data === '' ? [] : data.split('\\0').filter((item) => item !== '');
    default:
      return data;
  }
}

/** The slice of a JSON Schema this mapping follows. */
export interface SchemaNode {
  type?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
}

/** Maps a key tree onto the policy's JSON shape, guided by the policy's own JSON Schema. */
export function registryToPolicyInput(key: RegistryKey, schema: SchemaNode): Record<string, unknown> {
  const properties = schema.properties ?? {};
  const spelling = new Map(Object.keys(properties).map((name) => [name.toLowerCase(), name]));
  // Unknown names pass through unchanged: the strict schema then names them.
  const propertyFor = (name: string) => spelling.get(name.toLowerCase()) ?? name;
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(key.values)) {
    const property = propertyFor(name);
    out[property] = properties[property]?.type === 'boolean' && (value === 0 || value === 1) ? value === 1 : value;
  }
  for (const [name, subkey] of Object.entries(key.subkeys)) {
    const property = propertyFor(name);
    const node = properties[property] ?? {};
    out[property] =
      node.type === 'array'
        ? Object.entries(subkey.subkeys).map(([itemName, item]) => ({
            ...(node.items?.properties?.key ? { key: itemName } : {}),
            ...registryToPolicyInput(item, node.items ?? {}),
          }))
        : registryToPolicyInput(subkey, node);
  }
  return out;
}
