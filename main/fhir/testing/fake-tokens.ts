import type { TokenSource } from '../fhir-client';

/** A TokenSource double: hands out "token-N" and counts refreshes. */
export class FakeTokens implements TokenSource {
  refreshes = 0;
  private current = 'token-1';

  constructor(private readonly canRefresh = true) {}

  getAccessToken(): Promise<string> {
    return Promise.resolve(this.current);
  }

  async refreshAfterUnauthorized(): Promise<string | null> {
    this.refreshes += 1;
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (!this.canRefresh) return null;
    this.current = `token-${this.refreshes + 1}`;
    return this.current;
  }
}
