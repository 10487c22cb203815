import { describe, expect, it } from 'vitest';
import { EMPTY_PATIENT_QUERY } from '../../common/chart';
import { ChartDeskError } from '../../common/ipc-envelope';
import { createLogger } from '../logging/logger';
import { createDispatcher } from './dispatcher';
import { recordingServices } from './testing/fake-services';

const lines: string[] = [];
const log = createLogger((line) => lines.push(line));
const appInfo = { name: 'ChartDesk', version: '1.2.3', platform: 'linux', shell: 'web' as const };

function dispatcher() {
  return createDispatcher(recordingServices(), log);
}

describe('IPC dispatcher', () => {
  it('answers a valid call with the service value', async () => {
    expect(await dispatcher()('app:info', [])).toEqual({ ok: true, value: appInfo });
    expect(await dispatcher()('connections:list', [])).toEqual({ ok: true, value: [] });
  });

  it.each([
    ['an unknown channel', 'shell:exec', []],
    ['a prototype key as channel', '__proto__', []],
    ['a non-string channel', 42, []],
  ])('refuses %s', async (_name, channel, args) => {
    const result = await dispatcher()(channel, args);
    expect(result).toEqual({ ok: false, error: { code: 'unknown-channel', message: 'Unknown request.' } });
  });

  it.each([
    ['extra arguments', ['unexpected']],
    ['arguments that are not an array', { 0: 'x' }],
    ['missing arguments', undefined],
    ['a string', 'x'.repeat(10_000)],
  ])('refuses %s with invalid-input', async (_name, args) => {
    const result = await dispatcher()('app:info', args);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('invalid-input');
  });

  it('passes a ChartDeskError on as its code and message', async () => {
    const services = recordingServices();
    const run = createDispatcher(
      {
        ...services,
        app: {
          ...services.app,
          info: () => {
            throw new ChartDeskError('not-found', 'No such connection.');
          },
        },
      },
      log,
    );
    expect(await run('app:info', [])).toEqual({ ok: false, error: { code: 'not-found', message: 'No such connection.' } });
  });

  it('answers an empty patient search with the sentence for the clinician, not a schema path', async () => {
    expect(await dispatcher()('patients:search', ['c1', {}])).toEqual({
      ok: false,
      error: { code: 'invalid-input', message: EMPTY_PATIENT_QUERY },
    });
    expect(EMPTY_PATIENT_QUERY).toBe('Give a name, a birth date or an identifier.');
  });

  it('refuses unknown keys and bad ids in structured arguments', async () => {
    const bad = await dispatcher()('chart:open', [{ connectionId: 'c1', patientId: 'p1', __proto__: { admin: true }, extra: 1 }]);
    expect(bad.ok).toBe(false);
    const traversal = await dispatcher()('chart:open', [{ connectionId: '../etc', patientId: 'p1' }]);
    expect(traversal.ok === false && traversal.error.code).toBe('invalid-input');
  });

  it('hides an unexpected error behind a generic message, without its stack', async () => {
    const services = recordingServices();
    const run = createDispatcher(
      {
        ...services,
        app: {
          ...services.app,
          info: () => {
            throw new Error('ENOENT /home/dr/secret/path with Bearer abc.def.ghi');
          },
        },
      },
      log,
    );
    const result = await run('app:info', []);
    expect(result).toEqual({ ok: false, error: { code: 'internal', message: expect.stringMatching(/went wrong/) } });
    expect(JSON.stringify(result)).not.toContain('ENOENT');
    expect(lines.join('\n')).not.toContain('abc.def.ghi');
  });
});
