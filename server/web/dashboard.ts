import path from 'node:path';
import express, { Router, type Request } from 'express';
import { NotFound } from '../platform/errors';

/**
 * The built dashboard (client/dist): hashed files under /assets, and index.html for every page of the single-page
 * app, which routes in the browser. Paths that belong to the server are never answered with index.html, so a
 * mistyped API call or a missing asset stays a clear 404.
 */
export interface DashboardOptions {
  distDir: string;
  /** Where the server's routers are mounted (`/api/pages`, `/webhooks/facebook`); their first segments are its. */
  serverMountPaths: string[];
}

/** Mounted by the server but outside Express's routers: socket.io answers on the HTTP server itself. */
const pathsOutsideRouters = ['/socket.io', '/assets'];

function isServerPath(requestPath: string, serverMountPaths: string[]): boolean {
  const firstSegment = `/${requestPath.split('/')[1] ?? ''}`;
  return [...serverMountPaths, ...pathsOutsideRouters].some(
    (mountPath) => mountPath !== '/' && `/${mountPath.split('/')[1]}` === firstSegment,
  );
}

/** A browser opening a page of the dashboard: GET or HEAD of a path not the server's, preferring HTML to JSON. */
export function isDashboardNavigation(req: Request, serverMountPaths: string[]): boolean {
  return (
    (req.method === 'GET' || req.method === 'HEAD') &&
    !isServerPath(req.path, serverMountPaths) &&
    req.accepts(['application/json', 'text/html']) === 'text/html'
  );
}

const notBuiltPage = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Pagewire: the dashboard is not built</title>
  </head>
  <body>
    <h1>The dashboard is not built</h1>
    <p>
      Run <code>npm run build:client</code> (or <code>npm start</code>, which builds it when its sources change),
      then reload this page.
    </p>
    <p>The API under /api and the webhooks keep working meanwhile.</p>
  </body>
</html>
`;

export function createDashboardRouter({ distDir, serverMountPaths }: DashboardOptions): Router {
  const root = path.resolve(distDir);
  const indexHtml = path.join(root, 'index.html');
  const router = Router();

  // A file's name changes with its content, so a browser may keep it for good.
  router.use(
    '/assets',
    express.static(path.join(root, 'assets'), {
      immutable: true,
      maxAge: '1y',
      index: false,
      redirect: false,
    }),
  );
  router.use('/assets', (req, _res, next) => next(new NotFound(`No asset ${req.path}`)));

  router.use((req, res, next) => {
    if (!isDashboardNavigation(req, serverMountPaths)) return next();
    // no-cache: revalidated on every visit, so a new build's asset names reach the browser at once. The same
    // path asked for JSON is a 404.
    const headers = { 'Cache-Control': 'no-cache', Vary: 'Accept' };
    res.sendFile(indexHtml, { cacheControl: false, headers }, (error) => {
      if (!error) return;
      if ((error as { status?: number }).status !== 404 || res.headersSent) return next(error);
      res.status(503).set('Cache-Control', 'no-store').type('html').send(notBuiltPage);
    });
  });

  // Files vite copies beside index.html (favicon, robots.txt); never a server path.
  const rootFiles = express.static(root, {
    index: false,
    redirect: false,
    cacheControl: false,
    setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache'),
  });
  router.use((req, res, next) => {
    if (isServerPath(req.path, serverMountPaths)) return next();
    rootFiles(req, res, next);
  });
  return router;
}
