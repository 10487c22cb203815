import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INVOKE_CHANNELS } from '../../common/ipc-contract';
import { createLogger } from '../logging/logger';
import { createDispatcher } from './dispatcher';
import { recordingServices } from './testing/fake-services';

/**
 * Every IPC channel fuzzed with hostile payloads: wrong types, missing fields, huge strings,
 * prototype-pollution keys. The dispatcher must answer each with an envelope, and a service may
 * only ever be reached with arguments that passed the channel's schema.
 */
const SEED = 4242;
const calls: Array<{ method: string; args: unknown[] }> = [];

const hostileKeys = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'name',
  'fhirBaseUrl',
  'connectionId',
  'patientId',
);
const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string({ maxLength: 50 }),
    fc.constant('x'.repeat(200_000)),
    fc.constantFrom('../../etc/passwd', 'javascript:alert(1)', 'https://evil.example/', '', ' ', 'c1', 'p-1'),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(hostileKeys, tie('value'), { maxKeys: 5 }),
  ),
})).value;
const payloads = fc.oneof(fc.array(hostileValue, { maxLength: 4 }), hostileValue);

describe('IPC handlers under fuzzing', () => {
  it('answer every hostile payload with an envelope and never pass an invalid one to a service', async () => {
    const dispatch = createDispatcher(
      recordingServices(calls),
      createLogger(() => undefined),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...INVOKE_CHANNELS), payloads, async (channel, args) => {
        calls.length = 0;
        const result = await dispatch(channel, args);
        expect(typeof result.ok).toBe('boolean');
        if (!result.ok) {
          expect(['invalid-input', 'internal']).toContain(result.error.code);
          expect(calls).toEqual([]);
        }
        for (const call of calls) {
          expect(JSON.stringify(call.args).length).toBeLessThan(10_000);
        }
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });
});
