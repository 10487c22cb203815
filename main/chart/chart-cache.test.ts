import { describe, expect, it } from 'vitest';
import type { AllergyRow, PatientBanner, ProblemRow } from '../../common/chart';
import { ChartCache } from './chart-cache';

const rows = (count: number) => Array.from({ length: count }, (_, index) => ({ id: `r${index}` }) as ProblemRow);
const allergyRows = (count: number) => rows(count) as unknown as AllergyRow[];

describe('ChartCache', () => {
  it('drops the least recently opened patients beyond the patient limit', () => {
    const cache = new ChartCache(2, 1000);
    for (const patient of ['a', 'b', 'c'])
      cache.setSection('c1', patient, 'problems', { rows: rows(1), total: 1, otherPatient: 0, notices: [] });
    expect(cache.section('c1', 'a', 'problems')).toBeNull();
    expect(cache.section('c1', 'c', 'problems')?.rows).toHaveLength(1);
  });

  it('drops other patients when the rows of a connection pass the row limit, keeping the one just stored', () => {
    const cache = new ChartCache(20, 100);
    cache.setSection('c1', 'a', 'problems', { rows: rows(60), total: 60, otherPatient: 0, notices: [] });
    cache.setSection('c1', 'b', 'problems', { rows: rows(30), total: 30, otherPatient: 0, notices: [] });
    cache.section('c1', 'a', 'problems'); // a is now the most recently opened
    cache.setSection('c1', 'c', 'problems', { rows: rows(50), total: 50, otherPatient: 0, notices: [] });
    expect(cache.section('c1', 'b', 'problems')).toBeNull();
    expect(cache.section('c1', 'c', 'problems')?.rows).toHaveLength(50);
    expect(cache.section('c1', 'a', 'problems')).toBeNull();
  });

  it('does not keep a section larger than the row limit on its own, and never touches other connections', () => {
    const cache = new ChartCache(20, 100);
    cache.setSection('c2', 'x', 'problems', { rows: rows(80), total: 80, otherPatient: 0, notices: [] });
    cache.setSection('c1', 'a', 'problems', { rows: rows(101), total: 101, otherPatient: 0, notices: [] });
    expect(cache.section('c1', 'a', 'problems')).toBeNull();
    expect(cache.section('c2', 'x', 'problems')?.rows).toHaveLength(80);
  });

  it('does not keep a patient whose sections together pass the row limit', () => {
    const cache = new ChartCache(20, 100);
    cache.setSection('c1', 'a', 'problems', { rows: rows(60), total: 60, otherPatient: 0, notices: [] });
    cache.setSection('c1', 'a', 'allergies', { rows: allergyRows(60), total: 60, otherPatient: 0, notices: [] });
    expect(cache.section('c1', 'a', 'problems')).toBeNull();
    expect(cache.section('c1', 'a', 'allergies')).toBeNull();
  });

  it('keeps the banner beside the sections, and drops one section on its own', () => {
    const cache = new ChartCache(20, 100);
    const banner = { name: 'Lee Chen' } as PatientBanner;
    cache.setBanner('c1', 'a', banner);
    cache.setSection('c1', 'a', 'problems', { rows: rows(3), total: 3, otherPatient: 0, notices: [] });
    cache.setSection('c1', 'a', 'allergies', { rows: allergyRows(2), total: 2, otherPatient: 0, notices: [] });
    cache.dropSection('c1', 'a', 'problems');
    expect(cache.banner('c1', 'a')).toBe(banner);
    expect(cache.section('c1', 'a', 'problems')).toBeNull();
    expect(cache.section('c1', 'a', 'allergies')?.rows).toHaveLength(2);
  });

  it('never answers with a chart older than the age limit, and says when the cached chart was read', () => {
    let now = 1_000_000;
    const cache = new ChartCache(20, 1000, 60_000, () => now);
    cache.startLoad('c1', 'a', now);
    cache.setSection('c1', 'a', 'problems', { rows: rows(2), total: 2, otherPatient: 0, notices: [] });
    now += 59_000;
    expect(cache.loadedAt('c1', 'a')).toBe(1_000_000);
    expect(cache.section('c1', 'a', 'problems')?.rows).toHaveLength(2);
    now += 2_000;
    expect(cache.section('c1', 'a', 'problems')).toBeNull();
    expect(cache.loadedAt('c1', 'a')).toBeNull();
  });
});
