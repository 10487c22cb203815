import { fireEvent, render, screen } from '@testing-library/svelte';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { fakeIdle } from '../testing/idle';
import { fakeLayout } from '../testing/layout';
import { INTERACTION_CPU_BUDGET_MS, measure } from '../testing/timing';
import type { Column } from '../../../common/section-columns';
import DataTable from './DataTable.svelte';

interface Row {
  id: string;
  name: string;
  when: string;
  value: number;
}

const columns: Column<Row>[] = [
  { id: 'name', label: 'Test', text: (row) => row.name },
  { id: 'when', label: 'Date', text: (row) => row.when, sortKey: (row) => row.when },
  { id: 'value', label: 'Value', text: (row) => String(row.value), sortKey: (row) => row.value },
];

function makeRows(count: number): Row[] {
  const names = ['Glucose', 'Sodium', 'Potassium', 'Hemoglobin A1c', 'Creatinine'];
  return Array.from({ length: count }, (_, index) => ({
    id: `obs-${index}`,
    name: `${names[index % names.length]} ${index}`,
    when: new Date(Date.UTC(2000, 0, 1) + index * 3_600_000).toISOString(),
    value: (index * 7919) % 1000,
  }));
}

describe('DataTable', () => {
  let restore: () => void;
  beforeAll(() => {
    restore = fakeLayout();
  });
  afterAll(() => restore());

  function renderTable(rows: Row[]) {
    return render(DataTable, { props: { rows, columns, label: 'Labs' } });
  }

  function firstCells(): string[] {
    return screen.getAllByTestId('table-row').map((row) => row.querySelector('[role="cell"]')?.textContent?.trim() ?? '');
  }

  it('renders only a window of a 10,000-row list', () => {
    renderTable(makeRows(10_000));
    const rendered = screen.getAllByTestId('table-row').length;
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(60);
    expect(screen.getByTestId('shown-count').textContent).toContain('10000 rows');
  });

  it('filters 10,000 rows within the interaction budget of a keystroke', async () => {
    const idle = fakeIdle();
    onTestFinished(idle.restore);
    renderTable(makeRows(10_000));
    // Rows are indexed for search in the browser's idle periods after they arrive, a slice at a time.
    expect(idle.drain()).toBeGreaterThan(0);
    const input = screen.getByRole('searchbox', { name: 'Filter Labs' });
    const filter = measure(() => void fireEvent.input(input, { target: { value: 'potassium 99' } }));
    const expected = makeRows(10_000).filter((row) => {
      const text = `${row.name} ${row.when} ${row.value}`.toLowerCase();
      return text.includes('potassium') && text.includes('99');
    }).length;
    expect(expected).toBeGreaterThan(10);
    expect(screen.getByTestId('shown-count').textContent).toContain(`${expected} of 10000 rows`);
    expect(firstCells().every((text) => text.startsWith('Potassium'))).toBe(true);
    expect(filter.cpuMs).toBeLessThan(INTERACTION_CPU_BUDGET_MS);
  });

  it('sorts 10,000 rows within the interaction budget, both directions, numbers as numbers', async () => {
    renderTable(makeRows(10_000));
    const header = screen.getByRole('button', { name: /Value/ });
    expect(measure(() => void fireEvent.click(header)).cpuMs).toBeLessThan(INTERACTION_CPU_BUDGET_MS);
    expect(firstCells()[0]).toMatch(/^Glucose 0$/);
    expect(screen.getByRole('columnheader', { name: /Value/ }).getAttribute('aria-sort')).toBe('ascending');

    expect(measure(() => void fireEvent.click(header)).cpuMs).toBeLessThan(INTERACTION_CPU_BUDGET_MS);
    const values = screen.getAllByTestId('table-row').map((row) => Number(row.querySelectorAll('[role="cell"]')[2]?.textContent));
    expect(values[0]).toBe(999);
    expect([...values].sort((a, b) => b - a)).toEqual(values);
  });

  it('follows scrolling: the rows in view are the rows at the scroll position', async () => {
    renderTable(makeRows(10_000));
    const viewport = screen.getByRole('rowgroup', { name: 'Labs: rows' });
    // jsdom does no layout, so the scroll position is set by hand (34 px rows, as rendered).
    Object.defineProperty(viewport, 'scrollTop', { configurable: true, value: 34 * 5000 });
    await fireEvent.scroll(viewport);
    const indexes = screen.getAllByTestId('table-row').map((row) => Number(row.getAttribute('aria-rowindex')));
    // aria-rowindex counts the header row as 1, so row n of the data is n + 2 when n starts at 0.
    expect(Math.min(...indexes)).toBeGreaterThan(4900);
    expect(indexes).toContain(5002);
    expect(firstCells()).toContain('Glucose 5000');
  });

  it('keeps up when rows arrive page by page', async () => {
    const rows = makeRows(300);
    const view = renderTable(rows.slice(0, 100));
    expect(screen.getByTestId('shown-count').textContent).toContain('100 rows');
    await view.rerender({ rows });
    expect(screen.getByTestId('shown-count').textContent).toContain('300 rows');
  });
});
