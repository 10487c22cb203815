import type { Connection, ConnectionSettings, ConnectionTemplate } from '../../common/connections';
import type { EndpointReport } from '../../common/endpoint-report';
import { checkEndpoint } from '../smart/endpoint-report';
import type { ConnectionStore } from './connection-store';
import { connectionTemplates } from './templates';

export interface ConnectionsServiceDeps {
  store: ConnectionStore;
  /** Tells the renderer the list changed (the store knows nothing of sessions). */
  publish(): void;
  /** The development sandbox EHR, offered as a template, or null. */
  sandboxFhirBaseUrl: string | null;
  fetch: typeof fetch;
}

/** The connections service: what the form needs besides the session manager (templates, adding, the endpoint check). */
export function createConnectionsService(deps: ConnectionsServiceDeps) {
  return {
    templates: (): ConnectionTemplate[] => connectionTemplates({ sandboxFhirBaseUrl: deps.sandboxFhirBaseUrl }),
    async add(settings: ConnectionSettings): Promise<Connection> {
      const connection = await deps.store.add(settings);
      deps.publish();
      return connection;
    },
    check: (fhirBaseUrl: string, clientId: string | null): Promise<EndpointReport> =>
      checkEndpoint(fhirBaseUrl, { fetch: deps.fetch, clientId }),
  };
}
