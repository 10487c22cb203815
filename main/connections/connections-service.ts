import type { Connection, ConnectionSettings, ConnectionTemplate } from '../../common/connections';
import type { EndpointReport } from '../../common/endpoint-report';
import type { AppNotice } from '../../common/view-models';
import { checkEndpoint } from '../smart/endpoint-report';
import { mixUpWarning } from '../smart/mix-up-risk';
import type { ConnectionStore } from './connection-store';
import { connectionTemplates } from './templates';

export interface ConnectionsServiceDeps {
  store: ConnectionStore;
  /** Tells the renderer the list changed (the store knows nothing of sessions). */
  publish(): void;
  /** The development sandbox EHR, offered as a template, or null. */
  sandboxFhirBaseUrl: string | null;
  fetch: typeof fetch;
  onNotice(notice: AppNotice): void;
}

/** The connections service: what the form needs besides the session manager (templates, adding, the endpoint check). */
export function createConnectionsService(deps: ConnectionsServiceDeps) {
  return {
    templates: (): ConnectionTemplate[] => connectionTemplates({ sandboxFhirBaseUrl: deps.sandboxFhirBaseUrl }),
    async add(settings: ConnectionSettings): Promise<Connection> {
      const connection = await deps.store.add(settings);
      deps.publish();
      // Not awaited: the check reads the EHR's configuration, and the form need not wait for it.
      const others = deps.store.list().filter((other) => other.id !== connection.id);
      void mixUpWarning(connection, others, deps.fetch).then((notice) => notice && deps.onNotice(notice));
      return connection;
    },
    check: (fhirBaseUrl: string, clientId: string | null): Promise<EndpointReport> =>
      checkEndpoint(fhirBaseUrl, { fetch: deps.fetch, clientId }),
  };
}
