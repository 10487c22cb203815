import { describe, expect, it, vi } from 'vitest';
import type { SectionPage } from '../../common/chart';
import { ChartDeskError } from '../../common/ipc-envelope';
import { createLogger, REDACTED } from '../logging/logger';
import { sectionFailure, toChartDeskError } from './chart-errors';
import { createChartLoader } from './chart-loader';
import { UNKNOWN_CAPABILITIES } from './search-capabilities';
import type { FhirClient } from '../fhir/fhir-client';
import { FhirError } from '../fhir/fhir-errors';

/** A real logger writing into an array, so the test sees the line as it would reach the log file. */
function logLines() {
  const lines: string[] = [];
  const log = createLogger((line) => lines.push(line));
  const parsed = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { log, lines, parsed };
}

/** A fault ChartDesk did not expect, caused by something that carried a token. */
const unexpected = () =>
  new TypeError("Cannot read properties of undefined (reading 'coding')", {
    cause: new Error('while handling Bearer abc.def.ghi'),
  });

describe('translating chart errors', () => {
  it('logs an unexpected fault once, with its cause and where it was thrown, redacted', () => {
    const { log, lines, parsed } = logLines();
    const translated = toChartDeskError(unexpected(), log, 'open');
    expect(translated).toMatchObject({ code: 'internal', message: expect.stringMatching(/internal error/) as string });
    expect(parsed()).toEqual([
      expect.objectContaining({
        level: 'error',
        event: 'chart.internal-error',
        action: 'open',
        error: expect.objectContaining({
          name: 'TypeError',
          message: "Cannot read properties of undefined (reading 'coding')",
          stack: expect.arrayContaining([expect.stringMatching(/chart-errors\.test\.ts/)]) as string[],
          cause: expect.objectContaining({ message: `while handling Bearer ${REDACTED}` }) as object,
        }) as object,
      }),
    ]);
    expect(lines.join('')).not.toContain('abc.def.ghi');
  });

  it('passes FHIR failures and ChartDesk errors on without logging them as faults', () => {
    const { log, lines } = logLines();
    expect(toChartDeskError(new FhirError('http', 'The EHR answered 403.', 403), log, 'patient-search')).toMatchObject({
      code: 'forbidden',
      message: 'The EHR answered 403.',
    });
    const known = new ChartDeskError('auth', 'Sign in again.');
    expect(toChartDeskError(known, log, 'open')).toBe(known);
    expect(lines).toEqual([]);
  });

  it('gives a section a plain message: a FHIR failure as a warning, an unexpected fault as an error with its cause', () => {
    const { log, parsed } = logLines();
    expect(sectionFailure(new FhirError('timeout', 'The EHR took too long.'), 'labs', log)).toBe('The EHR took too long.');
    expect(sectionFailure(unexpected(), 'vitals', log)).toBe('This section could not be loaded because of an internal error.');
    expect(parsed().map(({ level, event, section }) => ({ level, event, section }))).toEqual([
      { level: 'warn', event: 'chart.section.failed', section: 'labs' },
      { level: 'error', event: 'chart.section.internal-error', section: 'vitals' },
    ]);
    expect(parsed()[1]).toMatchObject({ error: { name: 'TypeError', cause: { name: 'Error' } } });
  });
});

describe('an unexpected fault while loading a chart', () => {
  const patient = { resourceType: 'Patient', id: 'p1', name: [{ family: 'Lind', given: ['Mary'] }], birthDate: '1960-01-01' };

  function loaderWith(client: Partial<FhirClient>) {
    const { log, parsed } = logLines();
    const pages: SectionPage[] = [];
    const loader = createChartLoader({ emit: (page) => pages.push(page), log, now: () => new Date('2026-11-28T12:00:00Z') });
    const open = () =>
      loader.open({
        connectionId: 'ehr-1',
        patientId: 'p1',
        grantedSections: ['vitals'],
        capabilities: () => UNKNOWN_CAPABILITIES,
        client: { baseUrl: 'https://ehr.example.org/fhir', ...client } as FhirClient,
      });
    return { open, pages, parsed };
  }

  it('in a section: the section says so, and the log has the fault once, with its cause', async () => {
    const { open, pages, parsed } = loaderWith({
      read: () => Promise.resolve(patient),
      // eslint-disable-next-line require-yield -- a search that fails before its first page
      search: async function* () {
        throw unexpected();
      },
    });
    await open();
    await vi.waitFor(() => expect(pages.some((page) => page.done)).toBe(true));
    expect(pages.at(-1)).toMatchObject({ section: 'vitals', state: 'error', error: expect.stringMatching(/internal error/) });
    const faults = parsed().filter((line) => line.level === 'error');
    expect(faults).toEqual([
      expect.objectContaining({
        event: 'chart.section.internal-error',
        error: expect.objectContaining({ cause: expect.anything() }),
      }),
    ]);
  });

  it('reading the patient: open() rejects with a plain internal error, and the log has the fault once', async () => {
    const { open, parsed } = loaderWith({
      read: () => Promise.reject(unexpected()),
      // eslint-disable-next-line require-yield -- never reached with a page
      search: async function* () {
        await new Promise(() => undefined);
      },
    });
    await expect(open()).rejects.toMatchObject({ code: 'internal' });
    expect(parsed().filter((line) => line.level === 'error')).toEqual([
      expect.objectContaining({ event: 'chart.internal-error', action: 'open' }),
    ]);
  });
});
