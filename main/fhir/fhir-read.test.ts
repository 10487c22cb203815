import { describe, expect, it } from 'vitest';
import { humanName } from './fhir-read';

// The banner's patient and the signed-in user's name (fhir-names.ts) both read names through this one rule.
describe('humanName', () => {
  it('takes the official name, else the usual one, else the first that says anything', () => {
    expect(
      humanName([
        { use: 'usual', given: ['Bob'] },
        { use: 'official', given: ['Robert'], family: 'Smith' },
      ]),
    ).toBe('Robert Smith');
    expect(
      humanName([
        { use: 'nickname', given: ['Bo'] },
        { use: 'usual', given: ['Robert'] },
      ]),
    ).toBe('Robert');
    expect(humanName([{ use: 'old' }, { given: ['Ana'], family: 'Ruiz' }])).toBe('Ana Ruiz');
  });

  it('uses the text when given, else prefix, given, family and suffix, with whitespace collapsed', () => {
    expect(humanName([{ text: '  Dr.  Ana   Ruiz ', given: ['ignored'] }])).toBe('Dr. Ana Ruiz');
    expect(humanName([{ prefix: ['Dr.'], given: ['Ana', 'María'], family: 'Ruiz', suffix: ['MD'] }])).toBe(
      'Dr. Ana María Ruiz MD',
    );
  });

  it('reads odd shapes without throwing, and bounds the length', () => {
    expect(humanName('Bob')).toBeNull();
    expect(humanName([null, 3, { given: 'Ana', family: 7 }])).toBeNull();
    expect(humanName([{ given: [null, 'Ana', ' '], family: 'Ruiz' }])).toBe('Ana Ruiz');
    expect(humanName([{ text: 'x'.repeat(500) }])).toHaveLength(120);
  });
});
