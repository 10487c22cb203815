import { describe, expect, it } from 'vitest';
import type { ChartOpened } from '../../../../common/chart';
import type { IpcResult } from '../../../../common/ipc-envelope';
import { sectionMessages } from '../../../../common/section-view';
import { createFakeApi, deferred, fail, ok, opened, page } from '../../testing/fake-api';
import { documentRow, observation, problem } from '../../testing/rows';
import { ChartState } from './chart.svelte';

function setup() {
  const fake = createFakeApi();
  const chart = new ChartState(fake.api, 'conn-1');
  return { ...fake, chart };
}

describe('ChartState: no wrong-patient views', () => {
  it('discards the late answer for the previous patient and closes its load in main', async () => {
    const { api, chart } = setup();
    const slowA = deferred<IpcResult<ChartOpened>>();
    api.openChart.mockReturnValueOnce(slowA.promise).mockReturnValueOnce(ok(opened('load-b', { id: 'pat-b', name: 'Bea' })));

    const openingA = chart.open('pat-a');
    await chart.open('pat-b');
    slowA.resolve({ ok: true, value: opened('load-a', { id: 'pat-a', name: 'Al' }) });
    await openingA;

    expect(chart.patientId).toBe('pat-b');
    expect(chart.loadId).toBe('load-b');
    expect(chart.banner?.name).toBe('Bea');
    expect(api.closeChart).toHaveBeenCalledWith('conn-1', 'load-a');
  });

  it('gives each chart its own document viewer, closed with the chart', async () => {
    const { api, chart } = setup();
    api.openChart
      .mockReturnValueOnce(ok(opened('load-a', { id: 'pat-a' })))
      .mockReturnValueOnce(ok(opened('load-b', { id: 'pat-b' })));
    await chart.open('pat-a');
    const first = chart.documents;
    expect(first?.patientId).toBe('pat-a');
    const note = documentRow({ attachments: [{ index: 0, contentType: 'text/plain', title: null, size: 4, source: 'inline' }] });
    api.openAttachment.mockReturnValueOnce(
      ok({
        patientId: 'pat-a',
        resourceType: 'DocumentReference',
        id: 'note-1',
        index: 0,
        format: 'text',
        contentType: 'text/plain',
        text: 'Note',
        base64: null,
        size: 4,
      }),
    );
    await first?.open('notes', note, note.attachments[0] ?? null);
    expect(first?.content?.text).toBe('Note');
    await chart.open('pat-b');
    expect(chart.documents).not.toBe(first);
    expect(chart.documents?.patientId).toBe('pat-b');
    expect(first?.current).toBeNull();
    expect(first?.content).toBeNull();
    chart.close();
    expect(chart.documents).toBeNull();
  });

  it('drops pages of an earlier load, another patient or another connection', async () => {
    const { api, chart, emit } = setup();
    api.openChart.mockReturnValueOnce(ok(opened('load-1', { id: 'pat-a' })));
    await chart.open('pat-a');

    emit('chart:page', page({ patientId: 'pat-a', loadId: 'load-0' }, 'labs', [observation({ id: 'stale' })]));
    emit('chart:page', page({ patientId: 'pat-b', loadId: 'load-1' }, 'labs', [observation({ id: 'other-patient' })]));
    emit(
      'chart:page',
      page({ connectionId: 'conn-2', patientId: 'pat-a', loadId: 'load-1' }, 'labs', [observation({ id: 'x' })]),
    );
    emit('chart:page', page({ patientId: 'pat-a', loadId: 'load-1' }, 'labs', [observation({ id: 'current' })]));

    expect(chart.sections?.labs.rows.map((row) => row.id)).toEqual(['current']);
  });

  it('keeps pages that arrive before main answers with the loadId, and only those of that load', async () => {
    const { api, chart, emit } = setup();
    const answer = deferred<IpcResult<ChartOpened>>();
    api.openChart.mockReturnValueOnce(answer.promise);
    const opening = chart.open('pat-a');

    emit('chart:page', page({ patientId: 'pat-a', loadId: 'load-1' }, 'problems', [problem({ id: 'early' })]));
    emit('chart:page', page({ patientId: 'pat-a', loadId: 'load-old' }, 'problems', [problem({ id: 'old' })]));
    answer.resolve({ ok: true, value: opened('load-1', { id: 'pat-a' }) });
    await opening;

    expect(chart.sections?.problems.rows.map((row) => row.id)).toEqual(['early']);
  });

  it('shows nothing of a chart after it is closed, and tells main to stop', async () => {
    const { api, chart, emit } = setup();
    api.openChart.mockReturnValueOnce(ok(opened('load-1', { id: 'pat-a' })));
    await chart.open('pat-a');
    chart.close();
    emit('chart:page', page({ patientId: 'pat-a', loadId: 'load-1' }, 'labs', [observation()]));

    expect(api.closeChart).toHaveBeenCalledWith('conn-1', 'load-1');
    expect(chart.sections).toBeNull();
    expect(chart.banner).toBeNull();
  });

  it('unsubscribes on dispose', async () => {
    const { chart, listenerCount } = setup();
    expect(listenerCount('chart:page')).toBe(1);
    chart.dispose();
    expect(listenerCount('chart:page')).toBe(0);
  });
});

describe('ChartState: section states', () => {
  async function openChart(sections = {}) {
    const fake = setup();
    fake.api.openChart.mockReturnValueOnce(ok(opened('load-1', { id: 'pat-a' }, sections)));
    await fake.chart.open('pat-a');
    const key = { patientId: 'pat-a', loadId: 'load-1' };
    return { ...fake, key };
  }

  it('appends pages, stays loading (partial) until the last page, then completes', async () => {
    const { chart, emit, key } = await openChart();
    emit('chart:page', page(key, 'labs', [observation({ id: 'a' })], { total: 2, newestSince: '2026-01-01T00:00:00Z' }));
    const labs = chart.sections!.labs;
    expect(labs.state).toBe('loading');
    expect(sectionMessages(labs, labs.rows.length).map((message) => message.kind)).toEqual(['partial']);
    expect(labs.newestSince).toBe('2026-01-01T00:00:00Z');
    emit('chart:page', page(key, 'labs', [observation({ id: 'b' })], { done: true, state: 'complete' }));
    expect(labs.rows.map((row) => row.id)).toEqual(['a', 'b']);
    expect(labs.state).toBe('complete');
    expect(sectionMessages(labs, labs.rows.length)).toEqual([]);
    expect(labs.total).toBe(2);
  });

  it('an error after some pages keeps the rows but says the list is incomplete', async () => {
    const { chart, emit, key } = await openChart();
    emit('chart:page', page(key, 'labs', [observation({ id: 'a' })]));
    emit('chart:page', page(key, 'labs', [], { done: true, state: 'error', error: 'The EHR is busy (503).' }));
    const labs = chart.sections!.labs;
    expect(labs.state).toBe('error');
    expect(labs.error).toBe('The EHR is busy (503).');
    expect(sectionMessages(labs, labs.rows.length)[0]?.text).toMatch(/busy \(503\)\. Showing only the 1 entries .* incomplete/);
  });

  it('keeps every message the EHR sent about a section, each once, across pages', async () => {
    const { chart, emit, key } = await openChart();
    const withheld = 'The EHR withheld some results: Client not authorized for Observation - Outside Record Results.';
    emit('chart:page', page(key, 'labs', [], { notices: [withheld] }));
    emit('chart:page', page(key, 'labs', [], { notices: [withheld], done: true, state: 'complete' }));
    expect(chart.sections!.labs.notices).toEqual([withheld]);
  });

  it('starts not-granted sections as not granted', async () => {
    const { chart } = await openChart({ immunizations: 'not-granted' });
    expect(chart.sections!.immunizations.state).toBe('not-granted');
    expect(chart.sections!.labs.state).toBe('loading');
  });

  it('retry clears the section and asks main for it again; a failed retry is an error', async () => {
    const { api, chart, emit, key } = await openChart();
    emit('chart:page', page(key, 'labs', [observation({ id: 'a' })], { done: true, state: 'error', error: 'Timeout' }));
    await chart.retry('labs');
    expect(api.retrySection).toHaveBeenCalledWith('conn-1', 'load-1', 'labs');
    expect(chart.sections!.labs.state).toBe('loading');
    expect(chart.sections!.labs.rows).toEqual([]);

    api.retrySection.mockReturnValueOnce(fail('network', 'The EHR could not be reached.'));
    await chart.retry('labs');
    expect(chart.sections!.labs.state).toBe('error');
    expect(chart.sections!.labs.error).toBe('The EHR could not be reached.');
  });

  it('reports a chart that cannot be opened', async () => {
    const { api, chart } = setup();
    api.openChart.mockReturnValueOnce(fail('auth', 'Sign in again to open this chart.'));
    await chart.open('pat-a');
    expect(chart.openError).toBe('Sign in again to open this chart.');
    expect(chart.opening).toBe(false);
  });
});
