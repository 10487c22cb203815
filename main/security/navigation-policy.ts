import { RENDERER_ORIGIN } from '../../common/app-identity';
import { isLoopbackUrl } from '../../common/fhir-base';

/** True only for the bundled renderer's own origin, compared as parsed origins, never by prefix. */
export function isRendererUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'app:' && `${parsed.protocol}//${parsed.host}` === RENDERER_ORIGIN;
  } catch {
    return false;
  }
}

/** In-window navigation (will-navigate, will-redirect, will-frame-navigate): only within the bundle. */
export function decideNavigation(url: string): 'allow' | 'deny' {
  return isRendererUrl(url) ? 'allow' : 'deny';
}

const MAX_EXTERNAL_URL_LENGTH = 2048;

/**
 * Whether a link the clinician clicked may be handed to the system browser: plain https to a
 * named host, without credentials. Anything else could start an arbitrary protocol handler.
 */
export function isSafeExternalUrl(url: string): boolean {
  if (url.length > MAX_EXTERNAL_URL_LENGTH) return false;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' && parsed.hostname.length > 0 && !parsed.username && !parsed.password;
  } catch {
    return false;
  }
}

/**
 * The authorization URLs main itself builds go to the system browser: https, or http on loopback
 * for the sandbox EHR; never another scheme, which could start an arbitrary protocol handler.
 */
export function isSafeAuthorizationUrl(url: string): boolean {
  if (isSafeExternalUrl(url)) return true;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' && isLoopbackUrl(url) && !parsed.username;
  } catch {
    return false;
  }
}
