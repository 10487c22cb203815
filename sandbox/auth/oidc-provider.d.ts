/**
 * The slice of oidc-provider 9 that the sandbox uses. The package ships no TypeScript types and
 * @types/oidc-provider lags behind its releases, so only what we call is declared, loosely.
 */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface KoaContext {
    method: string;
    path: string;
    status: number;
    body: unknown;
    query: Record<string, string | string[] | undefined>;
    querystring: string;
    type: string;
    mountPath?: string;
    href: string;
    oidc?: {
      route?: string;
      params?: Record<string, unknown>;
      client?: OidcClient;
      entities: Record<string, unknown>;
      entity(name: string, value: unknown): void;
    };
    set(name: string, value: string): void;
    get(name: string): string;
  }

  export interface OidcClient {
    clientId: string;
    clientAuthMethod: string;
    /** The client's registered public keys (private_key_jwt); opaque here, handed to the library's JWT helper. */
    asymmetricKeyStore: unknown;
    grantTypeAllowed(type: string): boolean;
  }

  export class AccessToken {
    constructor(init: { accountId: string; client: OidcClient; grantId: string; scope: string; gty: string });
    readonly expiration: number;
    save(): Promise<string>;
  }

  export interface TokenLike {
    jti: string;
    grantId?: string;
    accountId?: string;
    clientId?: string;
    scope?: string;
    isExpired: boolean;
    scopes: Set<string>;
  }

  export interface TokenModel {
    find(value: string, options?: { ignoreExpiration?: boolean }): Promise<TokenLike | undefined>;
    revokeByGrantId(grantId: string): Promise<void>;
  }

  export class Grant {
    constructor(init: { accountId: string; clientId: string });
    jti: string;
    addOIDCScope(scope: string): void;
    rejectOIDCScope(scope: string): void;
    save(): Promise<string>;
    static adapter: { destroy(id: string): Promise<void> };
  }

  export interface InteractionDetails {
    uid: string;
    prompt: { name: string; reasons: string[]; details: Record<string, unknown> };
    params: Record<string, unknown>;
    session?: { accountId?: string };
  }

  export type Middleware = (ctx: KoaContext, next: () => Promise<void>) => Promise<void>;

  export class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    readonly issuer: string;
    proxy: boolean;
    Grant: typeof Grant;
    AccessToken: TokenModel & (new (init: ConstructorParameters<typeof AccessToken>[0]) => AccessToken);
    ReplayDetection: { unique(iss: string, jti: string, exp: number): Promise<boolean> };
    registerGrantType(name: string, handler: (ctx: KoaContext) => Promise<void>, params: string[]): void;
    RefreshToken: TokenModel;
    AuthorizationCode: TokenModel;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    use(middleware: Middleware): void;
    on(event: string, listener: (...args: unknown[]) => void): void;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
    interactionFinished(
      req: IncomingMessage,
      res: ServerResponse,
      result: Record<string, unknown>,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>;
  }

  export const errors: {
    InvalidRequest: new (description: string) => Error;
    InvalidScope: new (description: string, scope?: string) => Error;
    InvalidGrant: new (description: string) => Error;
    InvalidClientAuth: new (description: string) => Error;
    InvalidClientMetadata: new (description: string) => Error;
  };

  export default Provider;
}

/** Internal state of a Provider (pinned to oidc-provider 9.13): only its live scope set is used. */
declare module 'oidc-provider/lib/helpers/weak_cache.js' {
  import type Provider from 'oidc-provider';
  export default function instance(provider: Provider): { configuration: { scopes: Set<string> } };
}

/** oidc-provider's own JWT verification (pinned to 9.13), used for JWT bearer grant assertions. */
declare module 'oidc-provider/lib/helpers/jwt.js' {
  export function verify(
    jwt: string,
    keystore: unknown,
    options?: { clockTolerance?: number },
  ): Promise<{ payload: Record<string, unknown>; header: Record<string, unknown> }>;
}
