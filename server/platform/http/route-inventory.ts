import type { Express } from 'express';

export interface MountedRoute {
  method: string;
  path: string;
}

interface StackLayer {
  rawPath?: unknown;
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: StackLayer[] };
}

function routesIn(stack: StackLayer[], prefix: string): MountedRoute[] {
  return stack.flatMap((layer) => {
    if (layer.route) {
      return Object.keys(layer.route.methods)
        .filter((method) => method !== '_all')
        .map((method) => ({
          method: method.toUpperCase(),
          path: `${prefix}${layer.route?.path ?? ''}`.replace(/(.)\/$/, '$1'),
        }));
    }
    const nested = layer.handle?.stack;
    if (!nested) return [];
    const mountPath = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
    return routesIn(nested, `${prefix}${mountPath}`);
  });
}

/**
 * Every route the app answers, read from Express's router stack, e.g. `{method: 'GET', path: '/api/pages/:id'}`.
 * The authorization test compares this with its table, so a route nobody thought about fails the build.
 */
export function listMountedRoutes(app: Express, prefix = ''): MountedRoute[] {
  const stack = (app.router as unknown as { stack: StackLayer[] }).stack;
  return routesIn(stack, '').filter((route) => route.path.startsWith(prefix));
}

/** Express 5's path syntax as a regular expression: `:name` one segment, `*name` the rest, `{…}` optional. */
function patternOf(template: string): RegExp {
  const source = template
    .split(/(:\w+|\*\w+|[{}])/u)
    .map((part) => {
      if (part.startsWith(':')) return '[^/]+';
      if (part.startsWith('*')) return '.+';
      if (part === '{') return '(?:';
      if (part === '}') return ')?';
      return part.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
    })
    .join('');
  // As Express matches by default: case-insensitive, a trailing slash allowed.
  return new RegExp(`^${source}/?$`, 'iu');
}

/**
 * The route Express will run for a request, found before routing: the first of `routes` (in mounting order, as
 * `listMountedRoutes` lists them) whose method and path match. HEAD runs GET routes, as in Express.
 */
export function createRouteMatcher(
  routes: MountedRoute[],
): (method: string, path: string) => MountedRoute | undefined {
  const compiled = routes.map((route) => ({ route, pattern: patternOf(route.path) }));
  return (method, path) => {
    const methods = method === 'HEAD' ? ['HEAD', 'GET'] : [method];
    return compiled.find(({ route, pattern }) => methods.includes(route.method) && pattern.test(path))?.route;
  };
}
