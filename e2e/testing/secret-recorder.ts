/**
 * Wraps main's fetch to learn every secret that crosses it (tokens in token responses, codes and
 * verifiers in token requests), so that a test can then prove none of them reached the renderer,
 * the logs or the user-data files.
 */
export interface SecretRecorder {
  fetch: typeof fetch;
  secrets: Set<string>;
  /** Adds a secret seen elsewhere (a code or state in a callback URL). */
  add(value: string | null | undefined): void;
  /** The secrets found in a text. */
  foundIn(text: string): string[];
}

const SECRET_FIELDS = ['access_token', 'refresh_token', 'id_token', 'code', 'code_verifier', 'state', 'client_assertion'];
const MIN_SECRET_LENGTH = 8;

export function createSecretRecorder(inner: typeof fetch = globalThis.fetch): SecretRecorder {
  const secrets = new Set<string>();
  const add = (value: string | null | undefined) => {
    if (value && value.length >= MIN_SECRET_LENGTH) secrets.add(value);
  };
  const wrapped: typeof fetch = async (input, init) => {
    if (typeof init?.body === 'string' || init?.body instanceof URLSearchParams) {
      const params = new URLSearchParams(init.body.toString());
      for (const field of SECRET_FIELDS) add(params.get(field));
    }
    const response = await inner(input, init);
    if (response.headers.get('content-type')?.includes('json')) {
      try {
        const body = (await response.clone().json()) as Record<string, unknown>;
        for (const field of SECRET_FIELDS) if (typeof body[field] === 'string') add(body[field]);
      } catch {
        // Not JSON after all: nothing to learn.
      }
    }
    return response;
  };
  return {
    fetch: wrapped,
    secrets,
    add,
    foundIn: (text) => [...secrets].filter((secret) => text.includes(secret)),
  };
}
