import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import type { ObservationRow } from '../../../../common/chart';
import { standardFlag } from '../../../../common/result-flags';
import { fakeIdle } from '../../testing/idle';
import { fakeLayout } from '../../testing/layout';
import { observation } from '../../testing/rows';
import { INTERACTION_CPU_BUDGET_MS, measure } from '../../testing/timing';
import LabsView from './LabsView.svelte';

vi.mock('uplot', () => import('../../testing/uplot-mock'));

const TESTS = [
  { code: '2345-7', text: 'Glucose', unit: 'mg/dL' },
  { code: '2951-2', text: 'Sodium', unit: 'mmol/L' },
  { code: '2823-3', text: 'Potassium', unit: 'mmol/L' },
  { code: '4548-4', text: 'Hemoglobin A1c', unit: '%' },
];

/** 10,000 results of a long record, as main's mapper shapes them. */
function tenThousandResults(): ObservationRow[] {
  return Array.from({ length: 10_000 }, (_, index) => {
    const test = TESTS[index % TESTS.length]!;
    const value = 50 + ((index * 7919) % 1000) / 10;
    return observation({
      id: `lab-${index}`,
      code: { text: test.text, system: 'http://loinc.org', code: test.code },
      effective: new Date(Date.UTC(2005, 0, 1) + index * 6 * 3_600_000).toISOString(),
      value: { value, unit: test.unit },
      flag: value > 140 ? standardFlag('H', 'ehr-coded') : null,
    });
  });
}

describe('LabsView with a 10,000-result record', () => {
  let restore: () => void;
  beforeAll(() => {
    restore = fakeLayout();
  });
  afterAll(() => restore());

  it('filters and re-sorts within the interaction budget and keeps the DOM to a window of rows', async () => {
    const idle = fakeIdle();
    onTestFinished(idle.restore);
    const rows = tenThousandResults();
    render(LabsView, { props: { rows } });
    await fireEvent.click(screen.getByTestId('lab-layout-table'));
    expect(screen.getAllByTestId('table-row').length).toBeLessThan(60);
    // The table indexes rows for search in idle periods as they arrive; let those come, as they do between pages.
    expect(idle.drain()).toBeGreaterThan(0);

    const input = screen.getByRole('searchbox', { name: 'Filter Laboratory results' });
    const filter = measure(() => void fireEvent.input(input, { target: { value: 'potassium' } }));
    expect(screen.getByTestId('shown-count').textContent).toContain('2500 of 10000 rows');
    expect(filter.cpuMs).toBeLessThan(INTERACTION_CPU_BUDGET_MS);

    const narrow = measure(() => void fireEvent.input(input, { target: { value: 'potassium high' } }));
    const flagged = rows.filter((row) => row.code.text === 'Potassium' && row.flag?.abnormal).length;
    expect(screen.getByTestId('shown-count').textContent).toContain(`${flagged} of 10000 rows`);
    expect(narrow.cpuMs).toBeLessThan(INTERACTION_CPU_BUDGET_MS);

    const valueHeader = screen.getByRole('button', { name: /^Value/ });
    const sort = measure(() => void fireEvent.click(valueHeader));
    const values = screen
      .getAllByTestId('table-row')
      .map((row) => parseFloat(row.querySelectorAll('[role="cell"]')[2]!.textContent!));
    expect([...values].sort((a, b) => a - b)).toEqual(values);
    expect(sort.cpuMs).toBeLessThan(INTERACTION_CPU_BUDGET_MS);

    const clear = measure(() => void fireEvent.input(input, { target: { value: '' } }));
    expect(screen.getByTestId('shown-count').textContent).toContain('10000 rows');
    expect(clear.cpuMs).toBeLessThan(INTERACTION_CPU_BUDGET_MS);
    const testHeader = screen.getByRole('button', { name: /^Test/ });
    const sortAll = measure(() => void fireEvent.click(testHeader));
    expect(screen.getAllByTestId('table-row')[0]?.textContent).toContain('Glucose');
    expect(sortAll.cpuMs).toBeLessThan(INTERACTION_CPU_BUDGET_MS);
  });

  it('charts the chosen test across the whole record', async () => {
    render(LabsView, { props: { rows: tenThousandResults() } });
    await fireEvent.click(screen.getByRole('button', { name: 'Show the trend of Sodium' }));
    expect(screen.getByTestId('trend-chart').dataset['points']).toBe('2500');
  });
});

describe('LabsView by panel', () => {
  let restore: () => void;
  beforeAll(() => {
    restore = fakeLayout();
  });
  afterAll(() => restore());

  const BMP = { id: 'r1', name: { text: 'Basic Metabolic Panel', system: 'http://loinc.org', code: '51990-0' }, date: null };
  const draw = (when: string, glucose: number, sodium: number, panel = true): ObservationRow[] => [
    observation({
      id: `g-${when}`,
      effective: when,
      value: { value: glucose, unit: 'mg/dL' },
      flag: glucose > 99 ? { ...standardFlag('H', 'computed')!, basis: 'reference-range' } : null,
      ...(panel ? { panel: { ...BMP, id: `r-${when}` } } : {}),
    }),
    observation({
      id: `na-${when}`,
      code: { text: 'Sodium', system: 'http://loinc.org', code: '2951-2' },
      effective: when,
      value: { value: sodium, unit: 'mmol/L' },
      ...(panel ? { panel: { ...BMP, id: `r-${when}` } } : {}),
    }),
  ];

  it('shows each panel as analytes by collection time, newest first, with units and flags; results outside a panel last', () => {
    const rows = [
      ...draw('2024-01-02T08:00:00Z', 90, 140),
      ...draw('2024-03-02T08:00:00Z', 131, 138),
      ...draw('2023-12-01T08:00:00Z', 95, 139, false),
    ];
    render(LabsView, { props: { rows } });
    const groups = screen.getAllByTestId('lab-group');
    expect(groups.map((group) => group.dataset['group'])).toEqual(['Basic Metabolic Panel', 'Results outside a panel']);
    const sheet = within(groups[0]!).getByTestId('lab-flowsheet');
    const headers = [...sheet.querySelectorAll('thead th')].map((th) => th.textContent?.trim());
    expect(headers).toEqual(
      ['Test', '2 Mar 2024 08:00', '2 Jan 2024 08:00'].map((text) => expect.stringContaining(text.slice(0, 10))),
    );
    const [glucose, sodium] = within(sheet).getAllByTestId('lab-analyte');
    expect(glucose!.querySelector('th')?.textContent).toContain('mg/dL');
    const cells = [...glucose!.querySelectorAll('td')];
    expect(cells[0]?.textContent).toContain('131');
    expect(cells[0]?.textContent).toContain('H*');
    expect(cells[0]?.textContent).toContain('(High (computed))');
    expect(cells[0]?.classList.contains('abnormal')).toBe(true);
    expect(cells[1]?.textContent?.trim()).toBe('90');
    expect(sodium!.querySelector('th')?.textContent).toContain('mmol/L');
    expect(screen.getByText(/flag computed by ChartDesk/)).toBeTruthy();
  });

  it('pages through a long record six collection times at a time, and charts a test from its name', async () => {
    const rows = tenThousandResults();
    render(LabsView, { props: { rows } });
    const group = screen.getByTestId('lab-group');
    expect(within(group).getByTestId('lab-page').textContent).toBe('Times 1–6 of 10000');
    expect(within(group).getAllByTestId('lab-analyte')).toHaveLength(4);
    await fireEvent.click(within(group).getByTestId('lab-earlier'));
    expect(within(group).getByTestId('lab-page').textContent).toBe('Times 7–12 of 10000');
    await fireEvent.click(within(group).getByRole('button', { name: 'Show the trend of Potassium' }));
    expect(screen.getByTestId('trend-chart').dataset['points']).toBe('2500');
  });
});
