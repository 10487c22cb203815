import type { AppNotice } from '../../common/view-models';
import { sameFhirBase } from '../../common/fhir-base';
import type { Logger } from '../logging/logger';
import type { DeepLink } from './parse-deep-link';

export interface DeepLinkRouterDeps {
  /** IT's allow-list of EHR launch issuers (policy `allowedLaunchIssuers`); undefined allows any. */
  allowedLaunchIssuers: readonly string[] | undefined;
  sessions: { handleDeepLink(link: DeepLink): Promise<void> };
  notify(notice: AppNotice): void;
  log: Logger;
}

/**
 * Acts on a link the OS handed over, already parsed: a rejected link is reported, an EHR launch from an issuer IT
 * does not allow is refused whatever the clinician would confirm, and the rest goes to the session manager.
 */
export function createDeepLinkRouter(deps: DeepLinkRouterDeps): (link: DeepLink) => void {
  return (link) => {
    if (link.kind === 'rejected') {
      deps.log.warn('deep-link.rejected', { reason: link.reason });
      deps.notify({
        level: 'warning',
        message: `ChartDesk ignored a link it could not trust (${link.reason}).`,
        connectionId: null,
      });
      return;
    }
    const allowed = deps.allowedLaunchIssuers;
    if (link.kind === 'ehr-launch' && allowed && !allowed.some((iss) => sameFhirBase(iss, link.iss))) {
      deps.log.warn('ehr-launch.issuer-not-allowed', { iss: link.iss });
      deps.notify({
        level: 'error',
        message: `Your organisation does not allow EHR launches from ${link.iss}.`,
        connectionId: null,
      });
      return;
    }
    void deps.sessions
      .handleDeepLink(link)
      .catch((error: unknown) => deps.log.error('deep-link.failed', { kind: link.kind, error }));
  };
}
