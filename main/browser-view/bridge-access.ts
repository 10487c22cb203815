import { createHash, randomBytes } from 'node:crypto';

/**
 * Who may use the browser view's bridge. Any page the user visits, and any program on this computer, can reach a
 * port on loopback, so the bridge admits only a browser that opened a link ChartDesk printed:
 * - it lives on a host name made up for this run (`chartdesk-<random>.localhost`, which browsers resolve to loopback
 *   by themselves), so its host-only cookie never goes to another local server, as one on 127.0.0.1 would;
 * - a link carries a one-time code, redeemed once for a session credential that is not the code (a link left in a
 *   history or a log is worth nothing after that);
 * - codes and credentials are compared by their SHA-256, so a look-up reveals nothing of them by its timing.
 */
export interface BridgeAccess {
  hostname: string;
  /** A new one-time code for a link. */
  issueCode(): string;
  /** The session credential for a valid, unused code (the code is spent), or null. */
  redeem(code: string | null): string | null;
  admits(credential: string | null): boolean;
}

const secret = () => randomBytes(32).toString('base64url');
const digest = (value: string) => createHash('sha256').update(value).digest('base64url');

export function createBridgeAccess(): BridgeAccess {
  const codes = new Set<string>();
  const credentials = new Set<string>();
  return {
    hostname: `chartdesk-${randomBytes(8).toString('hex')}.localhost`,
    issueCode() {
      const code = secret();
      codes.add(digest(code));
      return code;
    },
    redeem(code) {
      if (code === null || !codes.delete(digest(code))) return null;
      const credential = secret();
      credentials.add(digest(credential));
      return credential;
    },
    admits: (credential) => credential !== null && credentials.has(digest(credential)),
  };
}
