import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { flushSync } from 'svelte';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ChartOpened } from '../../../common/chart';
import type { IpcResult } from '../../../common/ipc-envelope';
import type { SessionView } from '../../../common/sessions';
import { connection, createFakeApi, deferred, fail, ok, opened, page, session } from '../testing/fake-api';
import { fakeLayout } from '../testing/layout';
import { allergy, observation } from '../testing/rows';
import { ALL_OFFERED, medication, preview, written } from '../testing/writes';
import ChartWorkspace from './ChartWorkspace.svelte';

vi.mock('uplot', () => import('../testing/uplot-mock'));

const NOW = '2026-11-30T10:00:00.000Z';

const USER_SCOPES = {
  grantedSections: [],
  missingSections: [],
  writeActions: [],
  missingWriteActions: [],
  documentContent: false,
  offlineAccess: true,
  raw: 'openid fhirUser user/Patient.rs user/Observation.rs',
};

function setup(
  sessionOverrides: Partial<SessionView>,
  prepare: (api: ReturnType<typeof createFakeApi>['api']) => void = () => {},
) {
  const fake = createFakeApi();
  prepare(fake.api);
  const item = { connection: connection(), session: session({ status: 'signed-in', ...sessionOverrides }) };
  const view = render(ChartWorkspace, { props: { api: fake.api, item } });
  return { ...fake, view, item };
}

describe('ChartWorkspace', () => {
  let restore: () => void;
  beforeAll(() => {
    restore = fakeLayout();
  });
  afterAll(() => restore());

  it('opens the launch-context patient directly, with the banner and the EHR it comes from', async () => {
    const fake = createFakeApi();
    fake.api.openChart.mockReturnValue(ok(opened('load-1', { id: 'pat-1' })));
    render(ChartWorkspace, {
      props: {
        api: fake.api,
        item: { connection: connection(), session: session({ status: 'signed-in', patient: { id: 'pat-1', name: null } }) },
      },
    });
    expect(fake.api.openChart).toHaveBeenCalledWith({ connectionId: 'conn-1', patientId: 'pat-1' });
    const bannerEl = await screen.findByTestId('patient-banner');
    expect(bannerEl.textContent).toContain('Ada Lovelace');
    expect(bannerEl.textContent).toMatch(/Born\s*10 Dec 1980/);
    expect(bannerEl.textContent).toMatch(/Age\s*45 y/);
    expect(bannerEl.textContent).toContain('Female');
    expect(screen.getByTestId('banner-mrn').textContent).toBe('MRN-001');
    // Other identifiers only on request, and an SSN masked even then.
    const others = screen.getByTestId('banner-identifiers');
    expect(others.hasAttribute('open')).toBe(false);
    expect(others.textContent).toContain('•••-••-3456');
    expect(bannerEl.textContent).not.toContain('999-12-3456');
    expect(screen.getByTestId('banner-source').textContent).toBe('Sandbox (127.0.0.1:8080)');

    fake.emit(
      'chart:page',
      page({ patientId: 'pat-1', loadId: 'load-1' }, 'vitals', [observation({ id: 'v', kind: 'heart-rate' })], {
        done: true,
        state: 'complete',
      }),
    );
    flushSync();
    // The summary comes first; the vitals tab holds the reading.
    expect(screen.getByTestId('summary')).toBeTruthy();
    expect(screen.getByTestId('tab-vitals').dataset['rowCount']).toBe('1');
    await fireEvent.click(screen.getByTestId('tab-vitals'));
    expect(screen.getByTestId('section-vitals').dataset['rowCount']).toBe('1');
  });

  it('warns on a section when the EHR sent entries of another patient, which main left out', async () => {
    const fake = setup({ patient: { id: 'pat-1', name: null } }, (api) =>
      api.openChart.mockReturnValue(ok(opened('load-1', { id: 'pat-1' }))),
    );
    await waitFor(() => expect(screen.getByTestId('patient-banner')).toBeTruthy());
    await fireEvent.click(screen.getByTestId('tab-vitals'));
    const key = { patientId: 'pat-1', loadId: 'load-1' };
    const other = screen.getByTestId('section-vitals').querySelector('[data-testid="section-other-patient"]');
    expect(other).toBeNull();
    fake.emit('chart:page', page(key, 'vitals', [observation({ id: 'v', kind: 'heart-rate' })], { otherPatient: 2 }));
    fake.emit('chart:page', page(key, 'vitals', [], { done: true, state: 'complete', otherPatient: 1 }));
    flushSync();
    const warning = screen.getByTestId('section-vitals').querySelector('[data-testid="section-other-patient"]');
    expect(warning?.textContent).toMatch(/The EHR sent 3\s+entries for another patient/);
    expect(warning?.getAttribute('role')).toBe('alert');
    expect(screen.getByTestId('section-vitals').dataset['rowCount']).toBe('1');
  });

  it('says how many records the EHR marks entered in error or cancelled are not shown, per status, in plain words', async () => {
    const fake = setup({ patient: { id: 'pat-1', name: null } }, (api) =>
      api.openChart.mockReturnValue(ok(opened('load-1', { id: 'pat-1' }))),
    );
    await waitFor(() => expect(screen.getByTestId('patient-banner')).toBeTruthy());
    await fireEvent.click(screen.getByTestId('tab-labs'));
    const key = { patientId: 'pat-1', loadId: 'load-1' };
    const said = () =>
      [...screen.getByTestId('section-labs').querySelectorAll('[data-testid="section-withdrawn"]')].map((node) =>
        node.textContent?.trim(),
      );
    fake.emit(
      'chart:page',
      page(key, 'labs', [observation({ id: 'l' })], { withdrawn: { 'entered-in-error': 1, cancelled: 0 } }),
    );
    flushSync();
    expect(said()).toEqual(['1 record marked entered in error by the EHR is not shown.']);
    fake.emit('chart:page', page(key, 'labs', [], { withdrawn: { 'entered-in-error': 1, cancelled: 1 } }));
    fake.emit('chart:page', page(key, 'labs', [], { done: true, state: 'complete' }));
    flushSync();
    expect(said()).toEqual([
      '2 records marked entered in error by the EHR are not shown.',
      '1 record marked cancelled by the EHR is not shown.',
    ]);
    // The rows shown are the section's own: the withdrawn records are only counted.
    expect(screen.getByTestId('section-labs').dataset['rowCount']).toBe('1');
  });

  it('says so also when every record of a section was withdrawn', async () => {
    const fake = setup({ patient: { id: 'pat-1', name: null } }, (api) =>
      api.openChart.mockReturnValue(ok(opened('load-1', { id: 'pat-1' }))),
    );
    await waitFor(() => expect(screen.getByTestId('patient-banner')).toBeTruthy());
    await fireEvent.click(screen.getByTestId('tab-allergies'));
    const key = { patientId: 'pat-1', loadId: 'load-1' };
    fake.emit(
      'chart:page',
      page(key, 'allergies', [], { done: true, state: 'complete', withdrawn: { 'entered-in-error': 1, cancelled: 0 } }),
    );
    flushSync();
    const section = screen.getByTestId('section-allergies');
    expect(section.querySelector('[data-testid="section-empty"]')?.textContent).toBe('No allergies or intolerances recorded.');
    expect(section.querySelector('[data-testid="section-withdrawn"]')?.textContent).toBe(
      '1 record marked entered in error by the EHR is not shown.',
    );
  });

  it('shows the banner even when the EHR says it shows its own (need_patient_banner false): its banner is not in our window', async () => {
    const fake = createFakeApi();
    fake.api.openChart.mockReturnValue(ok(opened('load-1', { id: 'pat-1' })));
    render(ChartWorkspace, {
      props: {
        api: fake.api,
        item: {
          connection: connection(),
          session: session({ status: 'signed-in', needPatientBanner: false, patient: { id: 'pat-1', name: null } }),
        },
      },
    });
    await screen.findByTestId('summary');
    expect(screen.getByTestId('banner-name').textContent).toContain('Ada Lovelace');
  });

  it('offers search only with user-level Patient access, and opens the patient picked', async () => {
    const { api } = setup({ scopes: USER_SCOPES });
    api.searchPatients.mockReturnValue(
      ok([{ id: 'pat-7', name: 'Grace Hopper', birthDate: '1906-12-09', sex: 'female', mrn: 'M7' }]),
    );
    api.openChart.mockReturnValue(ok(opened('load-7', { id: 'pat-7', name: 'Grace Hopper' })));
    await fireEvent.input(screen.getByLabelText('Name'), { target: { value: 'Hopper' } });
    await fireEvent.submit(screen.getByTestId('patient-search'));
    expect(api.searchPatients).toHaveBeenCalledWith('conn-1', { name: 'Hopper' });

    await fireEvent.click(await screen.findByRole('button', { name: /Grace Hopper/ }));
    expect(api.openChart).toHaveBeenCalledWith({ connectionId: 'conn-1', patientId: 'pat-7' });
    expect((await screen.findByTestId('patient-banner')).dataset['patientId']).toBe('pat-7');
    // The clicked patient button is gone; the focus moved to the chart, not to the page body.
    expect(document.activeElement).toBe(screen.getByTestId('chart-workspace'));
    expect(api.recentPatients).toHaveBeenCalledTimes(2);
  });

  it('without user-level access, says why there is no search', () => {
    setup({ scopes: { ...USER_SCOPES, raw: 'launch/patient patient/*.rs' } });
    expect(screen.getByTestId('search-not-allowed')).toBeTruthy();
    expect(screen.queryByTestId('patient-search')).toBeNull();
  });

  it('never shows the previous patient: a slow chart answered after a switch is dropped', async () => {
    const { api, emit } = setup({ scopes: USER_SCOPES }, (fakeApi) =>
      fakeApi.recentPatients.mockReturnValue(
        ok([
          { id: 'pat-a', name: 'Al Slow', birthDate: null, sex: null, mrn: null, connectionId: 'conn-1', openedAt: NOW },
          { id: 'pat-b', name: 'Bea Fast', birthDate: null, sex: null, mrn: null, connectionId: 'conn-1', openedAt: NOW },
        ]),
      ),
    );
    const slowA = deferred<IpcResult<ChartOpened>>();
    api.openChart.mockReturnValueOnce(slowA.promise).mockReturnValueOnce(ok(opened('load-b', { id: 'pat-b', name: 'Bea Fast' })));

    await fireEvent.click(await screen.findByRole('button', { name: /Al Slow/ }));
    await fireEvent.click(screen.getByTestId('change-patient'));
    await fireEvent.click(await screen.findByRole('button', { name: /Bea Fast/ }));
    await screen.findByTestId('patient-banner');

    slowA.resolve({ ok: true, value: opened('load-a', { id: 'pat-a', name: 'Al Slow' }) });
    emit('chart:page', page({ patientId: 'pat-a', loadId: 'load-a' }, 'vitals', [observation({ kind: 'heart-rate' })]));
    await waitFor(() => expect(api.closeChart).toHaveBeenCalledWith('conn-1', 'load-a'));
    flushSync();
    expect(screen.getByTestId('patient-banner').textContent).toContain('Bea Fast');
    expect(screen.getByTestId('tab-vitals').dataset['rowCount']).toBe('0');
  });

  it('lists the patients opened on every connection; one of another connection opens there', async () => {
    const onswitch = vi.fn();
    const fake = createFakeApi();
    fake.api.recentPatients.mockReturnValue(
      ok([
        { id: 'pat-x', name: 'Xu Other', birthDate: '1970-01-02', sex: null, mrn: null, connectionId: 'conn-2', openedAt: NOW },
        { id: 'pat-h', name: 'Here Patient', birthDate: null, sex: null, mrn: null, connectionId: 'conn-1', openedAt: NOW },
      ]),
    );
    fake.api.openChart.mockReturnValue(ok(opened('load-h', { id: 'pat-h', name: 'Here Patient' })));
    const item = { connection: connection(), session: session({ status: 'signed-in', scopes: USER_SCOPES }) };
    render(ChartWorkspace, {
      props: { api: fake.api, item, onswitch, connectionName: (id: string) => (id === 'conn-2' ? 'Epic (prod)' : id) },
    });
    const other = await screen.findByRole('button', { name: /Xu Other/ });
    expect(other.textContent).toContain('on Epic (prod)');
    expect(screen.getByRole('button', { name: /Here Patient/ }).textContent).not.toContain(' on ');
    await fireEvent.click(other);
    expect(onswitch).toHaveBeenCalledWith(expect.objectContaining({ id: 'pat-x', connectionId: 'conn-2' }));
    expect(fake.api.openChart).not.toHaveBeenCalled();
    await fireEvent.click(screen.getByRole('button', { name: /Here Patient/ }));
    expect(fake.api.openChart).toHaveBeenCalledWith({ connectionId: 'conn-1', patientId: 'pat-h' });
  });

  it('opens the patient asked for when another connection handed it over', async () => {
    const fake = createFakeApi();
    fake.api.openChart.mockReturnValue(ok(opened('load-x', { id: 'pat-x', name: 'Xu Other' })));
    const item = { connection: connection(), session: session({ status: 'signed-in', scopes: USER_SCOPES }) };
    render(ChartWorkspace, { props: { api: fake.api, item, openPatient: 'pat-x' } });
    expect(fake.api.openChart).toHaveBeenCalledWith({ connectionId: 'conn-1', patientId: 'pat-x' });
    expect((await screen.findByTestId('banner-name')).textContent).toContain('Xu Other');
  });

  it('with a patient-scoped sign-in, offers to sign in again to choose another patient, not a dead end', async () => {
    const onsignin = vi.fn();
    const fake = createFakeApi();
    fake.api.openChart.mockReturnValue(ok(opened('load-1', { id: 'pat-1' })));
    const item = {
      connection: connection(),
      session: session({
        status: 'signed-in',
        patient: { id: 'pat-1', name: null },
        scopes: { ...USER_SCOPES, raw: 'launch/patient patient/*.rs' },
      }),
    };
    render(ChartWorkspace, { props: { api: fake.api, item, onsignin } });
    const change = await screen.findByTestId('change-patient');
    expect(change.textContent).toBe('Sign in again to choose another patient');
    await fireEvent.click(change);
    expect(onsignin).toHaveBeenCalledTimes(1);
  });

  it('closes the chart in main when the workspace goes away', async () => {
    const fake = createFakeApi();
    fake.api.openChart.mockReturnValue(ok(opened('load-1', { id: 'pat-1' })));
    const view = render(ChartWorkspace, {
      props: {
        api: fake.api,
        item: { connection: connection(), session: session({ status: 'signed-in', patient: { id: 'pat-1', name: null } }) },
      },
    });
    await screen.findByTestId('patient-banner');
    view.unmount();
    expect(fake.api.closeChart).toHaveBeenCalledWith('conn-1', 'load-1');
    expect(fake.listenerCount('chart:page')).toBe(0);
  });

  it('shows written rows at once, marked as written from ChartDesk; a discontinued order replaces its row', async () => {
    const fake = createFakeApi();
    fake.api.openChart.mockReturnValue(ok(opened('load-1', { id: 'pat-1' })));
    fake.api.writeAvailability.mockReturnValue(ok(ALL_OFFERED));
    fake.api.previewWrite.mockReturnValue(ok(preview()));
    const heartRate = observation({
      id: 'obs-new',
      kind: 'heart-rate',
      code: { text: 'Heart rate', system: null, code: null },
      value: { value: 72, unit: '/min' },
      fromChartDesk: true,
    });
    const stopped = medication({ status: 'stopped', fromChartDesk: true });
    fake.api.submitWrite.mockReturnValue(ok(written({ vitals: [heartRate], medications: [stopped] })));
    render(ChartWorkspace, {
      props: {
        api: fake.api,
        item: { connection: connection(), session: session({ status: 'signed-in', patient: { id: 'pat-1', name: null } }) },
      },
    });
    await screen.findByTestId('patient-banner');
    const key = { patientId: 'pat-1', loadId: 'load-1' };
    fake.emit(
      'chart:page',
      page(key, 'vitals', [observation({ id: 'v-old', kind: 'heart-rate' })], { done: true, state: 'complete' }),
    );
    fake.emit('chart:page', page(key, 'medications', [medication()], { done: true, state: 'complete' }));
    flushSync();

    await fireEvent.click(await screen.findByTestId('write-action-record-vitals'));
    await fireEvent.input(screen.getByLabelText('Heart rate'), { target: { value: '72' } });
    await fireEvent.click(screen.getByTestId('write-review'));
    await fireEvent.click(await screen.findByTestId('write-confirm'));
    await fireEvent.click(await screen.findByTestId('write-close'));

    await fireEvent.click(screen.getByTestId('tab-vitals'));
    const vitals = screen.getByTestId('section-vitals');
    expect(vitals.dataset['rowCount']).toBe('2');
    expect(within(vitals).getByTestId('vital-from-chartdesk').textContent).toBe('written from ChartDesk');
    const marked = vitals.querySelectorAll('[data-testid="table-row"][data-from-chartdesk="true"]');
    expect(marked).toHaveLength(1);
    expect(marked[0]?.textContent).toContain('Written from ChartDesk');

    await fireEvent.click(screen.getByTestId('tab-medications'));
    const medications = screen.getByTestId('section-medications');
    expect(medications.dataset['rowCount']).toBe('1');
    // The list opens on active medications: the stopped order is under "All".
    expect(within(medications).getByTestId('medication-none-current')).toBeTruthy();
    await fireEvent.click(within(medications).getByTestId('medication-filter-all'));
    expect(within(medications).getByTestId('table-row').textContent).toMatch(/Stopped/i);
    expect(within(medications).getByTestId('table-row').dataset['fromChartdesk']).toBe('true');
  });

  describe('fresh or stale, always said', () => {
    const READ = '2026-03-10T09:00:00.000Z';
    const at = (minutes: number) => new Date(Date.parse(READ) + minutes * 60_000);
    const context = session({ status: 'signed-in', patient: { id: 'pat-1', name: null } });

    it('says when the chart was read, warns once it is older than 10 minutes, and reads it again on Refresh', async () => {
      const fake = createFakeApi();
      fake.api.openChart
        .mockReturnValueOnce(ok(opened('load-1', { id: 'pat-1' }, {}, { asOf: READ })))
        .mockReturnValueOnce(ok(opened('load-2', { id: 'pat-1' }, {}, { asOf: at(11).toISOString() })));
      const view = render(ChartWorkspace, {
        props: { api: fake.api, item: { connection: connection(), session: context }, now: at(5) },
      });
      await screen.findByTestId('patient-banner');
      expect(screen.getByTestId('chart-as-of').textContent).toMatch(/^As of \d\d:\d\d$/);
      expect(screen.queryByRole('alert')).toBeNull();

      // The clock moves on: the same chart is now stale, and says so.
      await view.rerender({ now: at(11) });
      expect(screen.getByTestId('chart-stale').textContent).toBe(
        'This chart was read 11 minutes ago and may be out of date: Refresh to see newer data.',
      );

      await fireEvent.click(screen.getByTestId('chart-refresh'));
      expect(fake.api.openChart).toHaveBeenLastCalledWith({ connectionId: 'conn-1', patientId: 'pat-1', refresh: true });
      await waitFor(() => expect(screen.queryByTestId('chart-stale')).toBeNull());
      expect(screen.getByTestId('patient-banner')).toBeTruthy();
    });

    it('keeps the chart on screen when the EHR cannot be reached on Refresh, and warns that it may be out of date', async () => {
      const fake = createFakeApi();
      fake.api.openChart
        .mockReturnValueOnce(ok(opened('load-1', { id: 'pat-1' }, {}, { asOf: READ })))
        .mockReturnValueOnce(fail('network', 'The EHR could not be reached. Check the network, then try again.'));
      render(ChartWorkspace, { props: { api: fake.api, item: { connection: connection(), session: context }, now: at(3) } });
      await screen.findByTestId('patient-banner');
      fake.emit(
        'chart:page',
        page({ patientId: 'pat-1', loadId: 'load-1' }, 'vitals', [observation({ kind: 'heart-rate' })], {
          done: true,
          state: 'complete',
        }),
      );
      await fireEvent.click(screen.getByTestId('chart-refresh'));
      const warning = await screen.findByTestId('chart-offline');
      expect(warning.getAttribute('role')).toBe('alert');
      expect(warning.textContent).toMatch(
        /^The EHR could not be reached \(.+\)\. This chart is as of \d\d:\d\d and may be out of date/,
      );
      expect(screen.getByTestId('patient-banner').dataset['patientId']).toBe('pat-1');
      expect(screen.getByTestId('tab-vitals').dataset['rowCount']).toBe('1');
    });

    it('warns at once when main could show the chart only from its cache (the EHR did not answer)', async () => {
      const fake = createFakeApi();
      fake.api.openChart.mockReturnValue(
        ok(opened('load-1', { id: 'pat-1' }, {}, { asOf: READ, fromCache: true, offline: true })),
      );
      render(ChartWorkspace, { props: { api: fake.api, item: { connection: connection(), session: context }, now: at(4) } });
      expect((await screen.findByTestId('chart-offline')).textContent).toMatch(/could not be reached/);
      expect(screen.getByTestId('chart-as-of').textContent).toMatch(/^From this session's cache, as of \d\d:\d\d$/);
    });
  });

  describe("the banner's allergies", () => {
    const context = session({ status: 'signed-in', patient: { id: 'pat-1', name: null } });

    async function bannerAllergiesWith(state: 'complete' | 'not-granted' | 'error', rows: ReturnType<typeof allergy>[] = []) {
      const fake = createFakeApi();
      fake.api.openChart.mockReturnValue(
        ok(opened('load-1', { id: 'pat-1' }, state === 'not-granted' ? { allergies: 'not-granted' } : {})),
      );
      render(ChartWorkspace, { props: { api: fake.api, item: { connection: connection(), session: context } } });
      await screen.findByTestId('patient-banner');
      if (state !== 'not-granted') {
        fake.emit(
          'chart:page',
          page({ patientId: 'pat-1', loadId: 'load-1' }, 'allergies', rows, {
            done: true,
            state,
            error: state === 'error' ? 'The EHR answered with an error.' : null,
          }),
        );
        flushSync();
      }
      return screen.getByTestId('banner-allergies').textContent?.trim();
    }

    it('names each allergy with its reactions and their severity, a high criticality said', async () => {
      const text = await bannerAllergiesWith('complete', [
        allergy({
          substance: { text: 'Penicillin G', code: null, system: null },
          reactions: ['Hives (moderate)'],
          criticality: 'high',
        }),
        allergy({ id: 'a2', substance: { text: 'Peanut', code: null, system: null }, reactions: ['Anaphylaxis (severe)'] }),
      ]);
      expect(text).toBe('Penicillin G: Hives (moderate) (high criticality); Peanut: Anaphylaxis (severe)');
    });

    it('says plainly: no known allergies, not recorded, not granted, could not be loaded', async () => {
      expect(
        await bannerAllergiesWith('complete', [
          allergy({
            substance: { text: 'No known allergy', code: '716186003', system: 'http://snomed.info/sct' },
            statement: 'no-known-allergies',
          }),
        ]),
      ).toMatch(/^No known allergies/);
      document.body.innerHTML = '';
      expect(await bannerAllergiesWith('complete', [])).toBe('Not recorded: the EHR lists no allergies');
      document.body.innerHTML = '';
      expect(await bannerAllergiesWith('not-granted')).toBe('Not available: the EHR did not grant ChartDesk access to allergies');
      document.body.innerHTML = '';
      expect(await bannerAllergiesWith('error')).toBe('Could not be loaded: see Allergies');
    });
  });
});
