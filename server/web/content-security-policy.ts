import type { HelmetOptions } from 'helmet';
import type { Config } from '../config';

/**
 * helmet's strict defaults (scripts only from this origin, never inline), plus what the dashboard needs. 'self' in
 * connect-src covers the socket.io websocket on the same origin (Chromium matches ws: to an http page's 'self').
 */
export function contentSecurityPolicy(
  config: Pick<Config, 'publicUrl' | 'SANDBOX' | 'FB_GRAPH_URL' | 'FB_DIALOG_URL'>,
): HelmetOptions['contentSecurityPolicy'] {
  return {
    useDefaults: true,
    directives: {
      'connect-src': ["'self'"],
      // Profile pictures come from Meta's CDN over https; in the sandbox the simulator serves them over http.
      'img-src': [
        "'self'",
        'data:',
        'https:',
        ...(config.SANDBOX ? [new URL(config.FB_GRAPH_URL).origin] : []),
      ],
      // Chromium checks form-action on a form's redirects too: a login form sent to /auth/facebook ends at the dialog.
      'form-action': ["'self'", new URL(config.FB_DIALOG_URL).origin],
      // Upgrading would break a dashboard served over plain http, on localhost or a LAN address.
      'upgrade-insecure-requests': new URL(config.publicUrl).protocol === 'https:' ? [] : null,
    },
  };
}
