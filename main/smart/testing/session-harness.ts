import { CONNECTION_DEFAULTS, type ConnectionSettings } from '../../../common/connections';
import type { ConnectionWithSession } from '../../../common/sessions';
import { parseDeepLink } from '../../deep-link/parse-deep-link';
import { createMemorySecretStore, type SecretStore } from '../../vault/secret-store';
import { createFakeEhr, type FakeEhr, type FakeEhrOptions } from './fake-ehr';
import { createSessionWorld, type SessionWorld } from './session-world';

/** A session world over fake EHRs (fake-ehr.ts) with one connection, and a sign-in that plays the browser. */
export const settings = (fhirBaseUrl: string, extra: Partial<ConnectionSettings> = {}): ConnectionSettings => ({
  ...CONNECTION_DEFAULTS,
  name: 'Test EHR',
  fhirBaseUrl,
  clientId: 'chartdesk',
  ...extra,
});

export interface Harness extends Omit<SessionWorld, 'session'> {
  ehr: FakeEhr;
  connectionId: string;
  session: () => ConnectionWithSession['session'];
  signIn: (answer?: { error?: string }) => Promise<void>;
}

export async function harness(
  options: {
    ehr?: FakeEhrOptions;
    ehrs?: FakeEhr[];
    secrets?: SecretStore;
    connection?: Partial<ConnectionSettings>;
    chartOpen?: (connectionId: string) => boolean;
    /** False stands for the browser view, which no custom-scheme link reaches. */
    customSchemeReachable?: boolean;
  } = {},
): Promise<Harness> {
  const ehr = createFakeEhr(options.ehr);
  const all = [ehr, ...(options.ehrs ?? [])];
  const fetchAll = ((input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    const target = all.find((candidate) => candidate.options.origin === url.origin) ?? ehr;
    return target.fetch(input, init);
  }) as typeof fetch;
  const world = await createSessionWorld({
    secrets: options.secrets ?? createMemorySecretStore(),
    fetch: fetchAll,
    chartOpen: options.chartOpen,
    customSchemeReachable: options.customSchemeReachable,
  });
  const connection = await world.store.add(settings(ehr.fhirBaseUrl, options.connection));
  return {
    ...world,
    ehr,
    connectionId: connection.id,
    session: () => world.session(connection.id),
    async signIn(answer) {
      await world.manager.signIn(connection.id);
      await world.manager.handleDeepLink(parseDeepLink(ehr.authorize(world.opened.at(-1)!, answer)));
    },
  };
}

export const tokenRequests = (ehr: FakeEhr, grantType: string) =>
  ehr.requests.filter((request) => request.body?.get('grant_type') === grantType);
