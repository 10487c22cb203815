import type { Component } from 'svelte';
import { type DocumentSectionId, firstOpenable } from '../../../common/attachments';
import type { DocumentRow } from '../../../common/chart';
import type { ChartSectionId } from '../../../common/sessions';
import { SECTION_TITLES } from '../../../common/section-view';
import type { UnitSystem } from '../../../common/units';
import type { ChartSections } from '../lib/state/chart.svelte';
import type { DocumentViewer } from '../lib/state/document-viewer.svelte';
import AllergiesView from './sections/AllergiesView.svelte';
import DocumentsView from './sections/DocumentsView.svelte';
import EncounterTimeline from './sections/EncounterTimeline.svelte';
import ImmunizationsView from './sections/ImmunizationsView.svelte';
import LabsView from './sections/LabsView.svelte';
import MedicationsView from './sections/MedicationsView.svelte';
import ProblemsView from './sections/ProblemsView.svelte';
import ProceduresView from './sections/ProceduresView.svelte';
import SummaryView from './sections/SummaryView.svelte';
import VitalsView from './sections/VitalsView.svelte';

/** What every tab's view may draw on: the chart's sections, the clinician's units, the time, and a way to another tab. */
export interface TabContext {
  sections: ChartSections;
  units: UnitSystem;
  now: Date;
  /** Brings another tab to the front (the summary's links). */
  open: (tab: string) => void;
  /** The chart's document viewer: the notes and reports open in it; without it they are listed only. */
  documents: DocumentViewer | null;
}

export interface ChartTab {
  id: string;
  title: string;
  /** The section the tab shows, framed by its loading, error and message states; null for the summary. */
  section: ChartSectionId | null;
  view: Component<Record<string, unknown>>;
  props: (context: TabContext) => Record<string, unknown>;
}

/** A tab whose view's props are checked against the view's own type. */
function tab<P extends Record<string, unknown>>(
  id: string,
  section: ChartSectionId | null,
  view: Component<P>,
  props: (context: TabContext) => P,
  title = section ? SECTION_TITLES[section].title : id,
): ChartTab {
  return { id, title, section, view: view as unknown as ChartTab['view'], props };
}

/**
 * The chart's tabs, in order, the summary first. A new section joins with one entry here (its view
 * and the props it takes from the context); ChartView draws whatever this list holds.
 */
export const CHART_TABS: readonly ChartTab[] = [
  tab('summary', null, SummaryView, (c) => ({ sections: c.sections, units: c.units, now: c.now, open: c.open }), 'Summary'),
  tab('vitals', 'vitals', VitalsView, (c) => ({
    rows: c.sections.vitals.rows,
    state: c.sections.vitals.state,
    newestSince: c.sections.vitals.newestSince,
    units: c.units,
    now: c.now,
  })),
  tab('labs', 'labs', LabsView, (c) => ({ rows: c.sections.labs.rows, units: c.units })),
  tab('problems', 'problems', ProblemsView, (c) => ({ rows: c.sections.problems.rows })),
  tab('medications', 'medications', MedicationsView, (c) => ({ rows: c.sections.medications.rows })),
  tab('allergies', 'allergies', AllergiesView, (c) => ({ rows: c.sections.allergies.rows })),
  tab('immunizations', 'immunizations', ImmunizationsView, (c) => ({ rows: c.sections.immunizations.rows })),
  tab('encounters', 'encounters', EncounterTimeline, (c) => ({
    rows: c.sections.encounters.rows,
    problems: c.sections.problems.rows,
    documents: [
      ...c.sections.notes.rows.map((row) => ({ section: 'notes' as const, row })),
      ...c.sections.reports.rows.map((row) => ({ section: 'reports' as const, row })),
    ],
    opendocument: c.documents
      ? (section: DocumentSectionId, row: DocumentRow) => {
          void c.documents?.open(section, row, firstOpenable(row.attachments) ?? row.attachments[0] ?? null);
          c.open(section);
        }
      : undefined,
  })),
  tab('notes', 'notes', DocumentsView, (c) => ({ section: 'notes' as const, rows: c.sections.notes.rows, viewer: c.documents })),
  tab('reports', 'reports', DocumentsView, (c) => ({
    section: 'reports' as const,
    rows: c.sections.reports.rows,
    viewer: c.documents,
  })),
  tab('procedures', 'procedures', ProceduresView, (c) => ({ rows: c.sections.procedures.rows })),
];
