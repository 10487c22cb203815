/** Names fixed by the installers and registered with the OS: change them only with a migration. */
export const APP_ID = 'org.chartdesk.desktop';
export const PRODUCT_NAME = 'ChartDesk';
/** Private-use URI scheme (RFC 8252 §7.1) for OAuth redirects and EHR launch links. */
export const DEEP_LINK_SCHEME = 'org.chartdesk.desktop';
export const OAUTH_CALLBACK_PATH = '/oauth2/callback';
export const EHR_LAUNCH_PATH = '/launch';
export const CUSTOM_SCHEME_REDIRECT_URI = `${DEEP_LINK_SCHEME}:${OAUTH_CALLBACK_PATH}`;
/** The privileged scheme and host the renderer is served from inside Electron. */
export const RENDERER_ORIGIN = 'app://bundle';
