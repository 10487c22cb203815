import { describe, expect, it } from 'vitest';
import { parseRegQuery, RegistryParseError, registryToPolicyInput, type SchemaNode } from './registry-policy';

const crlf = (...lines: string[]) => lines.join('\r\n') + '\r\n';

describe('parseRegQuery', () => {
  it('reads values of every type under the queried key and its subkeys', () => {
    const tree = parseRegQuery(
      crlf(
        '',
        'HKEY_LOCAL_MACHINE\\Software\\Policies\\ChartDesk',
        '    Count    REG_DWORD    0x1e',
        '    Big    REG_QWORD    0x100000000',
        '    Label    REG_SZ    Two  spaces inside',
        '    Empty    REG_SZ    ',
        '    Bare    REG_SZ',
        '    Path    REG_EXPAND_SZ    %ProgramData%\\ChartDesk',
        '    List    REG_MULTI_SZ    https://a.example.org\\0https://b.example.org',
        '    None    REG_MULTI_SZ    ',
        '    (Default)    REG_SZ    ignored',
        '',
        'HKEY_LOCAL_MACHINE\\Software\\Policies\\ChartDesk\\Outer',
        '',
        'HKEY_LOCAL_MACHINE\\Software\\Policies\\ChartDesk\\Outer\\Inner',
        '    Value Name With Spaces    REG_SZ    x',
      ),
    );
    expect(tree.values).toEqual({
      Count: 30,
      Big: 4294967296,
      Label: 'Two  spaces inside',
      Empty: '',
      Bare: '',
      Path: '%ProgramData%\\ChartDesk',
      List: ['https://a.example.org', 'https://b.example.org'],
      None: [],
    });
    expect(tree.subkeys.Outer).toEqual({
      values: {},
      subkeys: { Inner: { values: { 'Value Name With Spaces': 'x' }, subkeys: {} } },
    });
  });

  it('matches subkeys to the queried key whatever their case', () => {
    const tree = parseRegQuery(
      crlf(
        'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\ChartDesk',
        'HKEY_LOCAL_MACHINE\\Software\\policies\\chartdesk\\Sub',
        '    A    REG_DWORD    0x0',
      ),
    );
    expect(tree.subkeys.Sub?.values).toEqual({ A: 0 });
  });

  it('refuses output it does not understand', () => {
    expect(() => parseRegQuery('ERROR: something else\r\n')).toThrow(RegistryParseError);
    expect(() => parseRegQuery(crlf('HKEY_LOCAL_MACHINE\\Software\\A', 'HKEY_LOCAL_MACHINE\\Software\\B'))).toThrow(
      'key outside the queried one: HKEY_LOCAL_MACHINE\\Software\\B',
    );
  });

  it('reads an empty key as no values', () => {
    expect(parseRegQuery(crlf('', 'HKEY_LOCAL_MACHINE\\Software\\Policies\\ChartDesk'))).toEqual({ values: {}, subkeys: {} });
  });
});

describe('registryToPolicyInput', () => {
  const schema: SchemaNode = {
    type: 'object',
    properties: {
      flag: { type: 'boolean' },
      count: { type: 'integer' },
      items: { type: 'array', items: { type: 'object', properties: { key: { type: 'string' }, on: { type: 'boolean' } } } },
      nested: { type: 'object', properties: { enabled: { type: 'boolean' } } },
    },
  };

  it('follows the schema: spelling, 0/1 booleans, lists of subkeys named by key, nested objects', () => {
    const input = registryToPolicyInput(
      {
        values: { FLAG: 1, Count: 1 },
        subkeys: {
          Items: { values: {}, subkeys: { first: { values: { On: 0 }, subkeys: {} }, second: { values: {}, subkeys: {} } } },
          Nested: { values: { Enabled: 0 }, subkeys: {} },
        },
      },
      schema,
    );
    expect(input).toEqual({
      flag: true,
      count: 1,
      items: [{ key: 'first', on: false }, { key: 'second' }],
      nested: { enabled: false },
    });
  });

  it('passes unknown names and out-of-range flags through for the schema to reject', () => {
    expect(registryToPolicyInput({ values: { Flag: 2, Typo: 'x' }, subkeys: {} }, schema)).toEqual({ flag: 2, Typo: 'x' });
  });
});
