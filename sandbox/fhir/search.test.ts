import { describe, expect, it } from 'vitest';
import { FhirError } from './outcome.js';
import { compileSearch, DEFAULT_PAGE_SIZE, encodeCursor, MAX_PAGE_SIZE } from './search.js';

describe('compileSearch', () => {
  it('applies known parameters, ignores unknown ones (OFFSET paging too) and keeps paging out of the applied set', () => {
    const cursor = encodeCursor({ date: '2024-01-01T00:00:00.000Z', rid: 7 });
    const compiled = compileSearch(
      'Observation',
      new URLSearchParams(
        `patient=Patient/p1&code=http://loinc.org|8867-4&foo=bar&_count=10&_offset=20&_cursor=${cursor}&_total=accurate`,
      ),
    );
    expect(compiled.applied.toString()).toBe('patient=Patient%2Fp1&code=http%3A%2F%2Floinc.org%7C8867-4');
    expect(compiled.filters).toHaveLength(2);
    expect(compiled.filters[0]?.args).toEqual(['p1']);
    expect(compiled).toMatchObject({ count: 10, order: 'date', countTotal: true, summaryCount: false });
    expect(compiled.after).toEqual({ date: '2024-01-01T00:00:00.000Z', rid: 7 });
    expect(compileSearch('Observation', new URLSearchParams('_total=none'))).toMatchObject({ countTotal: false, after: null });
  });

  it('refuses a cursor it did not give out and an unknown _total', () => {
    expect(() => compileSearch('Observation', new URLSearchParams('_cursor=abc'))).toThrow(/_cursor/);
    expect(() => compileSearch('Observation', new URLSearchParams('_total=all'))).toThrow(/_total/);
  });

  it('keeps resources without a date out of every date comparison, and finds them with :missing', () => {
    const sql = (query: string) => compileSearch('Observation', new URLSearchParams(query)).filters[0]?.sql;
    expect(sql('date=lt2024')).toContain("r.date <> ''");
    expect(sql('date=le2024')).toContain("r.date <> ''");
    expect(sql('date=ne2024')).toContain("r.date <> ''");
    expect(sql('date:missing=true')).toBe("r.date = ''");
    expect(sql('date:missing=false')).toBe("r.date <> ''");
    expect(() => compileSearch('Observation', new URLSearchParams('date:missing=maybe'))).toThrow(FhirError);
  });

  it('defaults and caps _count', () => {
    expect(compileSearch('Observation', new URLSearchParams()).count).toBe(DEFAULT_PAGE_SIZE);
    expect(compileSearch('Observation', new URLSearchParams('_count=99999')).count).toBe(MAX_PAGE_SIZE);
  });

  it('turns date prefixes and precisions into instant ranges', () => {
    const [ge] = compileSearch('Observation', new URLSearchParams('date=ge2024-02')).filters;
    expect(ge).toEqual({ sql: 'r.date >= ?', args: ['2024-02-01T00:00:00.000Z'] });
    const [eq] = compileSearch('Observation', new URLSearchParams('date=2024')).filters;
    expect(eq?.args).toEqual(['2024-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z']);
    const [gt] = compileSearch('Observation', new URLSearchParams('date=gt2024-02-28')).filters;
    expect(gt?.args).toEqual(['2024-02-29T00:00:00.000Z']);
  });

  it('reads the four token forms', () => {
    const [token] = compileSearch('Observation', new URLSearchParams('code=a|b,|c,d,e|')).filters;
    expect(token?.args).toEqual(['code', 'a', 'b', 'c', 'd', 'e']);
    expect(token?.sql).toContain('t.system IS NULL AND t.code = ?');
  });

  it('refuses unsupported sorts and includes, and bad numbers, as FHIR errors', () => {
    expect(() => compileSearch('Observation', new URLSearchParams('_sort=code'))).toThrow(FhirError);
    expect(() => compileSearch('Observation', new URLSearchParams('_include=Patient:organization'))).toThrow(FhirError);
    expect(() => compileSearch('Observation', new URLSearchParams('_count=abc'))).toThrow(FhirError);
    expect(() => compileSearch('Observation', new URLSearchParams('date=yesterday'))).toThrow(FhirError);
  });
});
