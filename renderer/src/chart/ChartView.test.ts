import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { flushSync } from 'svelte';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SectionState } from '../../../common/chart';
import { standardFlag } from '../../../common/result-flags';
import type { ChartSectionId } from '../../../common/sessions';
import { CHART_SECTION_IDS } from '../../../common/sessions';
import { SectionStore, type ChartSections } from '../lib/state/chart.svelte';
import { fakeLayout } from '../testing/layout';
import { observation, problem } from '../testing/rows';
import ChartView from './ChartView.svelte';

vi.mock('uplot', () => import('../testing/uplot-mock'));

function sections(states: Partial<Record<ChartSectionId, SectionState>> = {}): ChartSections {
  const entries = CHART_SECTION_IDS.map((id) => [id, new SectionStore(id, states[id] ?? 'loading')]);
  return Object.fromEntries(entries) as ChartSections;
}

function openTab(id: ChartSectionId | 'summary') {
  return fireEvent.click(screen.getByTestId(`tab-${id}`));
}

describe('ChartView', () => {
  let restore: () => void;
  beforeAll(() => {
    restore = fakeLayout();
  });
  afterAll(() => restore());

  it('opens on the summary; a section announces loading, then shows rows with their count once complete', async () => {
    const chart = sections();
    render(ChartView, { props: { sections: chart, onretry: vi.fn() } });
    expect(screen.getByRole('tabpanel').getAttribute('aria-labelledby')).toBe('tab-summary');
    await openTab('vitals');
    const vitals = screen.getByTestId('section-vitals');
    expect(vitals.getAttribute('aria-busy')).toBe('true');
    expect(within(vitals).getByRole('status').textContent).toContain('Loading vitals…');

    chart.vitals.rows = [observation({ id: 'hr', kind: 'heart-rate', value: { value: 72, unit: '/min' } })];
    chart.vitals.state = 'complete';
    flushSync();
    expect(vitals.dataset['state']).toBe('complete');
    expect(vitals.dataset['rowCount']).toBe('1');
    expect(screen.getByTestId('tab-vitals').dataset['rowCount']).toBe('1');
    expect(screen.getByTestId('vital-heart-rate').textContent).toContain('72 bpm');
  });

  it('never calls a vital value the latest while newer readings may still come: "loading newer…" until the newest are in', async () => {
    const chart = sections();
    render(ChartView, { props: { sections: chart, onretry: vi.fn() } });
    await openTab('vitals');
    // An old window answered first: its reading is the latest so far, not the latest.
    chart.vitals.rows = [
      observation({ id: 'old', kind: 'heart-rate', effective: '2019-05-01T08:00:00Z', value: { value: 88, unit: '/min' } }),
    ];
    flushSync();
    const card = screen.getByTestId('vital-heart-rate');
    expect(card.dataset['pending']).toBe('true');
    expect(within(card).getByTestId('vital-loading-newer').textContent).toBe('loading newer…');

    // The newest rows are in (every row from 2026-01-01 on): the new reading is the latest, older windows still loading.
    chart.vitals.rows = [
      ...chart.vitals.rows,
      observation({ id: 'new', kind: 'heart-rate', effective: '2026-11-20T08:00:00Z', value: { value: 64, unit: '/min' } }),
    ];
    chart.vitals.newestSince = '2026-01-01T00:00:00Z';
    flushSync();
    expect(card.textContent).toContain('64 bpm');
    expect(card.dataset['pending']).toBe('false');
    expect(within(card).queryByTestId('vital-loading-newer')).toBeNull();
  });

  it('marks rows received so far as partial while loading, and as incomplete after an error, with Retry', async () => {
    const chart = sections();
    const onretry = vi.fn();
    render(ChartView, { props: { sections: chart, onretry } });
    await openTab('problems');
    chart.problems.rows = [problem()];
    flushSync();
    expect(screen.getByTestId('section-partial').textContent).toContain('more entries are on their way');
    expect(screen.getByRole('status').textContent).toContain('Still loading: 1 received so far.');

    chart.problems.state = 'error';
    chart.problems.error = 'The EHR answered 500: internal error.';
    flushSync();
    const alert = screen.getByTestId('section-error');
    expect(alert.getAttribute('role')).toBe('alert');
    expect(alert.textContent).toContain('The EHR answered 500: internal error.');
    expect(alert.textContent).toContain('this list is incomplete');
    expect(screen.queryByTestId('section-partial')).toBeNull();
    await fireEvent.click(screen.getByTestId('section-retry'));
    expect(onretry).toHaveBeenCalledWith('problems');
  });

  it('distinguishes an empty section from one the EHR did not grant', async () => {
    render(ChartView, {
      props: { sections: sections({ allergies: 'complete', immunizations: 'not-granted' }), onretry: vi.fn() },
    });
    await openTab('allergies');
    expect(screen.getByTestId('section-empty').textContent).toBe('No allergies or intolerances recorded.');
    await openTab('immunizations');
    expect(screen.getByTestId('section-not-granted').textContent).toContain('did not grant ChartDesk access to immunizations');
    expect(screen.getByTestId('tab-immunizations').textContent).toContain('not granted by the EHR');
  });

  it('highlights abnormal lab results and charts the chosen test', async () => {
    const chart = sections({ labs: 'complete' });
    chart.labs.rows = [
      observation({ id: 'g1', effective: '2024-01-01', value: { value: 90, unit: 'mg/dL' } }),
      observation({
        id: 'g2',
        effective: '2024-02-01',
        value: { value: 180, unit: 'mg/dL' },
        flag: standardFlag('H', 'ehr-coded'),
      }),
    ];
    render(ChartView, { props: { sections: chart, onretry: vi.fn() } });
    await openTab('labs');
    await fireEvent.click(screen.getByTestId('lab-layout-table'));
    const rows = screen.getAllByTestId('table-row');
    expect(rows[0]?.classList.contains('flagged')).toBe(true);
    expect(rows[0]?.textContent).toContain('180 mg/dL');
    expect(rows[0]?.textContent).toContain('(flagged abnormal)');
    await fireEvent.click(screen.getAllByRole('button', { name: 'Show the trend of Glucose' })[0]!);
    expect(screen.getByTestId('trend-chart').dataset['points']).toBe('2');
  });

  it('moves between tabs with the arrow keys, Home and End', async () => {
    render(ChartView, { props: { sections: sections(), onretry: vi.fn() } });
    const summary = screen.getByTestId('tab-summary');
    summary.focus();
    await fireEvent.keyDown(summary, { key: 'ArrowRight' });
    expect(document.activeElement).toBe(screen.getByTestId('tab-vitals'));
    expect(screen.getByTestId('tab-vitals').getAttribute('aria-selected')).toBe('true');
    await fireEvent.keyDown(document.activeElement!, { key: 'End' });
    expect(document.activeElement).toBe(screen.getByTestId('tab-procedures'));
    await fireEvent.keyDown(document.activeElement!, { key: 'ArrowRight' });
    expect(document.activeElement).toBe(summary);
    expect(screen.getByRole('tabpanel').getAttribute('aria-labelledby')).toBe('tab-summary');
  });

  it('shows active problems as problems, not as abnormal results: no highlight, nothing "flagged" for a screen reader', async () => {
    const chart = sections({ problems: 'complete' });
    chart.problems.rows = [problem(), problem({ id: 'cond-2', code: { text: 'Asthma', system: null, code: null } })];
    render(ChartView, { props: { sections: chart, onretry: vi.fn() } });
    await openTab('problems');
    const rows = screen.getAllByTestId('table-row');
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.classList.contains('flagged')).toBe(false);
      expect(row.textContent).not.toMatch(/flagged|abnormal/i);
    }
  });

  it('shows vital signs in °F, lb and in when the clinician chose US units, labs as the EHR sent them', async () => {
    const chart = sections({ vitals: 'complete', labs: 'complete' });
    chart.vitals.rows = [
      observation({ id: 't', kind: 'temperature', value: { value: 38, unit: 'Cel' }, referenceRange: null }),
      observation({ id: 'w', kind: 'weight', value: { value: 70, unit: 'kg' }, referenceRange: null }),
    ];
    chart.labs.rows = [observation({ id: 'g', value: { value: 5.5, unit: 'mmol/L' } })];
    render(ChartView, { props: { sections: chart, onretry: vi.fn(), units: 'us' } });
    await openTab('vitals');
    expect(screen.getByTestId('vital-temperature').textContent).toContain('100.4 °F');
    expect(screen.getByTestId('vital-weight').textContent).toContain('154.3 lb');
    await openTab('labs');
    await fireEvent.click(screen.getByTestId('lab-layout-table'));
    expect(screen.getAllByTestId('table-row')[0]?.textContent).toContain('5.5 mmol/L');
  });

  it("opens an item's section from the item; a group's items are one Tab stop, moved by the arrow keys", async () => {
    const chart = sections({ problems: 'complete' });
    chart.problems.rows = [
      problem(),
      problem({ id: 'cond-2', code: { text: 'Asthma', system: null, code: null }, onset: '2010-01-01' }),
    ];
    render(ChartView, { props: { sections: chart, onretry: vi.fn() } });
    const group = screen.getAllByTestId('summary-group').find((each) => each.dataset['group'] === 'problems')!;
    const items = within(group)
      .getAllByRole('button')
      .filter((button) => button.classList.contains('item'));
    expect(items.map((button) => button.tabIndex)).toEqual([0, -1]);
    items[0]!.focus();
    await fireEvent.keyDown(items[0]!, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(items[1]);
    await fireEvent.click(items[1]!);
    expect(screen.getByRole('tabpanel').getAttribute('aria-labelledby')).toBe('tab-problems');
  });

  it("opens each summary group's section from its link", async () => {
    render(ChartView, { props: { sections: sections({ allergies: 'complete' }), onretry: vi.fn() } });
    await fireEvent.click(screen.getByTestId('summary-open-allergies'));
    expect(screen.getByRole('tabpanel').getAttribute('aria-labelledby')).toBe('tab-allergies');
    expect(document.activeElement).toBe(screen.getByTestId('tab-allergies'));
  });

  it('marks a years-old reading beside recent ones with its date and age, prominently, and says so to a screen reader', async () => {
    const chart = sections({ vitals: 'complete' });
    chart.vitals.rows = [
      observation({ id: 'hr', kind: 'heart-rate', effective: '2026-03-09T08:00:00Z', value: { value: 72, unit: '/min' } }),
      observation({ id: 'w', kind: 'weight', effective: '2019-03-12T08:00:00Z', value: { value: 70, unit: 'kg' } }),
    ];
    render(ChartView, { props: { sections: chart, onretry: vi.fn(), now: new Date('2026-03-10T12:00:00Z') } });
    await openTab('vitals');
    const recent = within(screen.getByTestId('vital-heart-rate')).getByTestId('vital-when');
    const old = within(screen.getByTestId('vital-weight')).getByTestId('vital-when');
    expect(recent.classList.contains('old')).toBe(false);
    expect(recent.textContent).toMatch(/^9 Mar 2026 \d\d:\d\d$/);
    expect(old.classList.contains('old')).toBe(true);
    expect(old.textContent).toBe('⚠\u00a0Old reading:\u00a012 Mar 2019, 6 years ago');
    // The summary marks it the same way.
    await openTab('summary');
    const weight = screen.getAllByTestId('summary-item').find((item) => item.textContent?.includes('Body weight'));
    expect(weight?.classList.contains('old')).toBe(true);
    expect(weight?.querySelector('[data-part="when"]')?.textContent).toContain('12 Mar 2019, 6 years ago');
  });
});
