import { describe, expect, it } from 'vitest';
import type { AllergyRow, PatientBanner, ProblemRow } from '../../common/chart';
import { noneWithdrawn } from '../../common/withdrawn';
import { ChartCache } from './chart-cache';

const rows = (count: number) => Array.from({ length: count }, (_, index) => ({ id: `r${index}` }) as ProblemRow);
const allergyRows = (count: number) => rows(count) as unknown as AllergyRow[];
/** A section as the loader stores it: its rows, their count as the total, nothing left out. */
const stored = <R extends ProblemRow | AllergyRow>(sectionRows: R[]) => ({
  rows: sectionRows,
  total: sectionRows.length,
  otherPatient: 0,
  notices: [],
  withdrawn: noneWithdrawn(),
});

describe('ChartCache', () => {
  it('drops the least recently opened patients beyond the patient limit', () => {
    const cache = new ChartCache(2, 1000);
    for (const patient of ['a', 'b', 'c']) cache.setSection('c1', patient, 'problems', stored(rows(1)));
    expect(cache.section('c1', 'a', 'problems')).toBeNull();
    expect(cache.section('c1', 'c', 'problems')?.rows).toHaveLength(1);
  });

  it('drops other patients when the rows of a connection pass the row limit, keeping the one just stored', () => {
    const cache = new ChartCache(20, 100);
    cache.setSection('c1', 'a', 'problems', stored(rows(60)));
    cache.setSection('c1', 'b', 'problems', stored(rows(30)));
    cache.section('c1', 'a', 'problems'); // a is now the most recently opened
    cache.setSection('c1', 'c', 'problems', stored(rows(50)));
    expect(cache.section('c1', 'b', 'problems')).toBeNull();
    expect(cache.section('c1', 'c', 'problems')?.rows).toHaveLength(50);
    expect(cache.section('c1', 'a', 'problems')).toBeNull();
  });

  it('does not keep a section larger than the row limit on its own, and never touches other connections', () => {
    const cache = new ChartCache(20, 100);
    cache.setSection('c2', 'x', 'problems', stored(rows(80)));
    cache.setSection('c1', 'a', 'problems', stored(rows(101)));
    expect(cache.section('c1', 'a', 'problems')).toBeNull();
    expect(cache.section('c2', 'x', 'problems')?.rows).toHaveLength(80);
  });

  it('does not keep a patient whose sections together pass the row limit', () => {
    const cache = new ChartCache(20, 100);
    cache.setSection('c1', 'a', 'problems', stored(rows(60)));
    cache.setSection('c1', 'a', 'allergies', stored(allergyRows(60)));
    expect(cache.section('c1', 'a', 'problems')).toBeNull();
    expect(cache.section('c1', 'a', 'allergies')).toBeNull();
  });

  it('keeps the banner beside the sections, and drops one section on its own', () => {
    const cache = new ChartCache(20, 100);
    const banner = { name: 'Lee Chen' } as PatientBanner;
    cache.setBanner('c1', 'a', banner);
    cache.setSection('c1', 'a', 'problems', stored(rows(3)));
    cache.setSection('c1', 'a', 'allergies', stored(allergyRows(2)));
    cache.dropSection('c1', 'a', 'problems');
    expect(cache.banner('c1', 'a')).toBe(banner);
    expect(cache.section('c1', 'a', 'problems')).toBeNull();
    expect(cache.section('c1', 'a', 'allergies')?.rows).toHaveLength(2);
  });

  it('never answers with a chart older than the age limit, and says when the cached chart was read', () => {
    let now = 1_000_000;
    const cache = new ChartCache(20, 1000, 60_000, () => now);
    cache.startLoad('c1', 'a', now);
    cache.setSection('c1', 'a', 'problems', stored(rows(2)));
    now += 59_000;
    expect(cache.loadedAt('c1', 'a')).toBe(1_000_000);
    expect(cache.section('c1', 'a', 'problems')?.rows).toHaveLength(2);
    now += 2_000;
    expect(cache.section('c1', 'a', 'problems')).toBeNull();
    expect(cache.loadedAt('c1', 'a')).toBeNull();
  });
});
