import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fakeLayout } from '../../testing/layout';
import { documentRow, encounter, medication, problem } from '../../testing/rows';
import EncounterTimeline from './EncounterTimeline.svelte';
import MedicationsView from './MedicationsView.svelte';
import ProblemsView from './ProblemsView.svelte';

/** Issue 18, items 9 and 11: the medication list, the problem list and the encounters as a clinician reads them. */

let restore: () => void;
beforeAll(() => {
  restore = fakeLayout();
});
afterAll(() => restore());

const rowTexts = () => screen.getAllByTestId('table-row').map((row) => row.textContent ?? '');

describe('MedicationsView', () => {
  const LONG_SIG =
    '6 mg PO daily for remission induction; adjust dosage to white blood cell (WBC) count. With hold treatment if WBC is less than 15,000/µL; resume when WBC is greater than 50,000/µL';
  const rows = [
    medication({ id: 'm1', authoredOn: '2023-01-10', status: 'completed', prescriber: 'Dr. Old' }),
    medication({ id: 'm2', authoredOn: '2024-01-10', status: 'active', dosage: LONG_SIG }),
    medication({ id: 'm3', authoredOn: '2023-06-10', status: 'stopped' }),
    medication({
      id: 'm4',
      medication: { text: 'amoxicillin 500 MG Oral Capsule', system: null, code: null },
      status: 'completed',
      authoredOn: '2022-02-01',
    }),
  ];

  it('shows active medications first, one line per drug with its refills folded in, and all on request', async () => {
    render(MedicationsView, { props: { rows } });
    expect(rowTexts()).toHaveLength(1);
    expect(rowTexts()[0]).toContain('lisinopril');
    expect(rowTexts()[0]).toContain('Oral');
    expect(screen.getByTestId('medication-filter-current').closest('label')?.textContent).toContain('Active (1)');
    await fireEvent.click(screen.getByTestId('medication-filter-all'));
    expect(rowTexts()).toHaveLength(2);
  });

  it('opens the full sig and every order of the drug, newest first', async () => {
    render(MedicationsView, { props: { rows } });
    await fireEvent.click(screen.getByRole('button', { name: 'Details and order history of lisinopril 10 MG Oral Tablet' }));
    const details = screen.getByTestId('medication-details');
    expect(within(details).getByTestId('medication-sig').textContent).toBe(LONG_SIG);
    const orders = within(details)
      .getAllByTestId('medication-order')
      .map((order) => order.textContent ?? '');
    expect(orders).toHaveLength(3);
    expect(orders[0]).toContain('10 Jan 2024');
    expect(orders[2]).toContain('Dr. Old');
  });

  it('says so when no medication is active, rather than an empty table', () => {
    render(MedicationsView, { props: { rows: [rows[3]!] } });
    expect(screen.getByTestId('medication-none-current').textContent).toContain('1 medication is listed under “All”');
  });
});

describe('ProblemsView', () => {
  it('opens on active problems, most important first, with a filter to see all', async () => {
    const rows = [
      problem({ id: 'p1', code: { text: 'Asthma', system: null, code: null }, onset: '2010-01-01', severity: 'Mild' }),
      problem({ id: 'p2', code: { text: 'Heart failure', system: null, code: null }, onset: '2005-01-01', severity: 'Severe' }),
      problem({ id: 'p3', code: { text: 'Hypertension', system: null, code: null }, onset: '2020-01-01' }),
      problem({
        id: 'p4',
        code: { text: 'Fracture', system: null, code: null },
        clinicalStatus: 'resolved',
        onset: '2024-01-01',
      }),
    ];
    render(ProblemsView, { props: { rows } });
    expect((screen.getByTestId('problem-filter-active') as HTMLInputElement).checked).toBe(true);
    expect(rowTexts().map((text) => text.split(/Problem list/)[0]?.trim())).toEqual(['Heart failure', 'Asthma', 'Hypertension']);
    await fireEvent.click(screen.getByTestId('problem-filter-all'));
    expect(rowTexts()).toHaveLength(4);
    expect(rowTexts()[3]).toContain('Fracture');
  });
});

describe('EncounterTimeline', () => {
  const rows = [
    encounter({
      id: 'e1',
      start: '2024-01-10T09:00:00Z',
      classLabel: 'Ambulatory',
      type: { text: 'Check-up', system: null, code: null },
    }),
    encounter({
      id: 'e2',
      start: '2024-03-02T09:00:00Z',
      classLabel: 'Emergency',
      type: { text: 'Emergency visit', system: null, code: null },
      reasons: ['Chest pain'],
      participants: [{ name: 'Physician Surgery, MD', roles: ['admitter', 'attender'] }],
      locations: ['Emergency'],
      diagnoses: [{ conditionId: 'c1', name: null, use: 'Admission diagnosis', rank: 1 }],
    }),
    encounter({
      id: 'e3',
      start: '2023-05-01T09:00:00Z',
      classLabel: 'Ambulatory',
      type: { text: 'Annual visit', system: null, code: null },
    }),
  ];
  const problems = [
    problem({ id: 'c1', code: { text: 'Angina', system: null, code: null } }),
    problem({
      id: 'c2',
      code: { text: 'Anxiety', system: null, code: null },
      encounterId: 'e2',
      category: 'encounter-diagnosis',
    }),
  ];
  const entryTitles = () =>
    screen.getAllByTestId('encounter').map((entry) => entry.querySelector('[data-field="Encounter"]')?.textContent);

  it('sorts and filters by words and by class', async () => {
    render(EncounterTimeline, { props: { rows, problems } });
    expect(entryTitles()).toEqual(['Emergency visit', 'Check-up', 'Annual visit']);
    await fireEvent.change(screen.getByTestId('encounter-order'), { target: { value: 'oldest' } });
    expect(entryTitles()).toEqual(['Annual visit', 'Check-up', 'Emergency visit']);
    await fireEvent.change(screen.getByTestId('encounter-class'), { target: { value: 'Ambulatory' } });
    expect(entryTitles()).toEqual(['Annual visit', 'Check-up']);
    await fireEvent.input(screen.getByRole('searchbox', { name: 'Filter encounters' }), { target: { value: 'annual' } });
    expect(entryTitles()).toEqual(['Annual visit']);
    expect(screen.getByTestId('encounter-count').textContent).toContain('1 of 3 encounters');
  });

  it('opens an encounter to its reason, provider, location and diagnoses, those it lists and those recorded at it', async () => {
    render(EncounterTimeline, { props: { rows, problems } });
    const open = screen.getByRole('button', { name: /^Details of Emergency visit/ });
    await fireEvent.click(open);
    expect(open.getAttribute('aria-expanded')).toBe('true');
    const details = screen.getByTestId('encounter-details');
    expect(document.activeElement?.id).toBe('encounter-details-title');
    expect(within(details).getByTestId('encounter-reasons').textContent).toBe('Chest pain');
    expect(within(details).getByTestId('encounter-providers').textContent?.trim()).toBe(
      'Physician Surgery, MD (admitter, attender)',
    );
    expect(within(details).getByTestId('encounter-locations').textContent?.trim()).toBe('Emergency');
    const diagnoses = within(details).getByTestId('encounter-diagnoses').textContent ?? '';
    expect(diagnoses).toContain('Angina · Admission diagnosis');
    expect(diagnoses).toContain('Anxiety · Recorded at this encounter');
  });

  it('lists the notes and reports written for the encounter, and opens one in its tab', async () => {
    const note = documentRow({ id: 'n1', encounterIds: ['e2'] });
    const elsewhere = documentRow({
      id: 'n2',
      encounterIds: ['e1'],
      type: { text: 'Discharge summary', system: null, code: null },
    });
    const opendocument = vi.fn();
    render(EncounterTimeline, {
      props: {
        rows,
        problems,
        documents: [
          { section: 'notes' as const, row: note },
          { section: 'notes' as const, row: elsewhere },
        ],
        opendocument,
      },
    });
    await fireEvent.click(screen.getByRole('button', { name: /^Details of Emergency visit/ }));
    const linked = within(screen.getByTestId('encounter-documents'));
    expect(linked.getAllByRole('listitem').map((item) => item.textContent?.trim())).toEqual(['Progress note, 24 Mar 2026']);
    await fireEvent.click(linked.getByRole('button', { name: 'Open Progress note, 24 Mar 2026' }));
    expect(opendocument).toHaveBeenCalledWith('notes', note);
  });

  it('makes the Details buttons one Tab stop, moved with the arrow keys', async () => {
    render(EncounterTimeline, { props: { rows, problems } });
    const buttons = screen.getAllByTestId('encounter-open');
    expect(buttons.map((button) => button.tabIndex)).toEqual([0, -1, -1]);
    buttons[0]!.focus();
    await fireEvent.keyDown(buttons[0]!, { key: 'ArrowDown' });
    expect(screen.getAllByTestId('encounter-open').map((button) => button.tabIndex)).toEqual([-1, 0, -1]);
  });
});
