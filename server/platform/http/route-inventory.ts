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
