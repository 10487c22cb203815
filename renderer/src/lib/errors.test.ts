import { describe, expect, it } from 'vitest';
import { BridgeError } from './api';
import { messageOf } from './errors';

describe('messageOf', () => {
  it("shows main's message, never a programming error's", () => {
    expect(messageOf(new BridgeError('network', 'The EHR could not be reached.'))).toBe('The EHR could not be reached.');
    expect(messageOf(new TypeError('this.#api.notices is not a function'), 'Could not read notices.')).toBe(
      'Could not read notices.',
    );
    expect(messageOf('boom')).toBe('Something went wrong.');
  });
});
