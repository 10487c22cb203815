import { describe, expect, it, vi } from 'vitest';
import type { AppNotice } from '../../common/view-models';
import { memoryLogger } from '../logging/testing/memory-logger';
import type { DeepLink } from './parse-deep-link';
import { createDeepLinkRouter } from './route-deep-link';

function router(allowedLaunchIssuers?: string[], handled: Promise<void> = Promise.resolve()) {
  const notices: AppNotice[] = [];
  const log = memoryLogger();
  const handleDeepLink = vi.fn((_link: DeepLink) => handled);
  const route = createDeepLinkRouter({ allowedLaunchIssuers, sessions: { handleDeepLink }, notify: (n) => notices.push(n), log });
  return { route, notices, log, handleDeepLink };
}

const launch: DeepLink = { kind: 'ehr-launch', iss: 'https://ehr.example.org/fhir', launch: 'xyz' };

describe('deep-link routing', () => {
  it('reports a rejected link and acts on nothing', () => {
    const r = router();
    r.route({ kind: 'rejected', reason: 'wrong scheme' });
    expect(r.notices).toEqual([expect.objectContaining({ level: 'warning', message: expect.stringContaining('wrong scheme') })]);
    expect(r.log.lines).toEqual([expect.objectContaining({ event: 'deep-link.rejected' })]);
    expect(r.handleDeepLink).not.toHaveBeenCalled();
  });

  it("refuses an EHR launch from an issuer IT's policy does not list, and accepts a listed one in any spelling", () => {
    const r = router(['https://EHR.example.org/fhir/']);
    r.route({ ...launch, iss: 'https://other.example.org/fhir' });
    expect(r.notices).toEqual([
      expect.objectContaining({ level: 'error', message: expect.stringContaining('other.example.org') }),
    ]);
    expect(r.handleDeepLink).not.toHaveBeenCalled();
    r.route(launch);
    expect(r.handleDeepLink).toHaveBeenCalledWith(launch);
  });

  it('hands every trusted link to the sessions without a policy, and logs a failure', async () => {
    const r = router(undefined, Promise.reject(new Error('boom')));
    r.route(launch);
    expect(r.handleDeepLink).toHaveBeenCalledWith(launch);
    await vi.waitFor(() => expect(r.log.lines).toEqual([expect.objectContaining({ level: 'error', event: 'deep-link.failed' })]));
  });
});
