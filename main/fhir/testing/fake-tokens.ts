import type { TokenSource } from '../fhir-client';

/**
 * A TokenSource double that keeps the token keeper's contract: hands out "token-N", renews once for all callers
 * refused the same token, answers a stale refusal with the current token, and counts renewed tokens refused again
 * (where the keeper would end the session).
 */
export class FakeTokens implements TokenSource {
  refreshes = 0;
  refusedRenewals = 0;
  private current = 'token-1';
  private renewed: string | null = null;
  private renewing: Promise<string | null> | null = null;

  constructor(private readonly canRefresh = true) {}

  getAccessToken(): Promise<string> {
    return Promise.resolve(this.current);
  }

  refreshAfterUnauthorized(refused: string): Promise<string | null> {
    if (refused === this.renewed) {
      this.refusedRenewals += 1;
      return Promise.resolve(null);
    }
    if (refused !== this.current) return Promise.resolve(this.current);
    this.renewing ??= this.renew().finally(() => {
      this.renewing = null;
    });
    return this.renewing;
  }

  private async renew(): Promise<string | null> {
    this.refreshes += 1;
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (!this.canRefresh) return null;
    this.current = `token-${this.refreshes + 1}`;
    this.renewed = this.current;
    return this.current;
  }
}
