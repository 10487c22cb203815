/** Names fixed by the installers and registered with the OS: change them only with a migration. */
export const APP_ID = 'org.chartdesk.desktop';
export const PRODUCT_NAME = 'ChartDesk';
/** Private-use URI scheme (RFC 8252 §7.1) for OAuth redirects and EHR launch links. */
export const DEEP_LINK_SCHEME = 'org.chartdesk.desktop';
export const OAUTH_CALLBACK_PATH = '/oauth2/callback';
export const EHR_LAUNCH_PATH = '/launch';
export const CUSTOM_SCHEME_REDIRECT_URI = `${DEEP_LINK_SCHEME}:${OAUTH_CALLBACK_PATH}`;
/**
 * A connection's own redirect name (OAuth mix-up defence, RFC 9700 §4.4): its callbacks come to
 * `/oauth2/callback/<name>`, registered with that EHR alone. Lower-case letters, digits and inner dashes.
 */
export const REDIRECT_NAME = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

/** The callback path of a connection: its own when it has a redirect name, else the one every EHR shares. */
export function callbackPath(redirectName: string | null | undefined): string {
  return redirectName ? `${OAUTH_CALLBACK_PATH}/${redirectName}` : OAUTH_CALLBACK_PATH;
}
/** The privileged scheme and host the renderer is served from inside Electron. */
export const RENDERER_ORIGIN = 'app://bundle';
