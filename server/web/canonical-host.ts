import type { RequestHandler } from 'express';
import { isDashboardNavigation } from './dashboard';

/**
 * A browser that opened the dashboard on another name for this server (127.0.0.1 for localhost, a LAN address) is
 * sent to PUBLIC_URL before it logs in: the OAuth callback and the session cookie live on that host only, so a login
 * started elsewhere would come back to a host without the session. Only page visits move; the API, webhooks,
 * socket.io and the probes answer on any host.
 *
 * Only requests that came in over PUBLIC_URL's protocol move: behind a TLS proxy the app is not told about
 * (TRUST_PROXY and X-Forwarded-Proto), the Host it sees may be the proxy's name for it, and a redirect would loop.
 */
export function redirectToCanonicalHost(publicUrl: string, serverMountPaths: string[]): RequestHandler {
  const canonical = new URL(publicUrl);
  return (req, res, next) => {
    const isCanonical = req.host?.toLowerCase() === canonical.host;
    const isSameProtocol = `${req.protocol}:` === canonical.protocol;
    if (isCanonical || !isSameProtocol || !isDashboardNavigation(req, serverMountPaths)) return next();
    res.redirect(302, `${canonical.origin}${req.originalUrl}`);
  };
}
