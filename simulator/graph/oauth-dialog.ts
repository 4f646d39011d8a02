import { Router, type Request, type Response } from 'express';
import type { SimContext } from '../context';
import type { UserRecord } from '../records';
import { newOAuthCode } from './login';

/**
 * The Facebook Login dialog, enough for passport-facebook: it lists the requested permissions, lets the person pick
 * a seeded user and decline permissions, then redirects back with `code` and `state`.
 */
export function oauthDialogRoutes(ctx: SimContext): Router {
  const router = Router();
  router.get('/dialog/oauth', (req, res) => showDialog(ctx, req, res));
  router.post('/dialog/oauth/confirm', (req, res) => confirm(ctx, req, res));
  return router;
}

function field(source: unknown, name: string): string | undefined {
  const value = (source as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
}

function fields(source: unknown, name: string): string[] {
  const value = (source as Record<string, unknown> | undefined)?.[name];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return typeof value === 'string' ? [value] : [];
}

function scopesOf(scope: string | undefined): string[] {
  const requested = (scope ?? '').split(/[,\s]+/).filter(Boolean);
  return [...new Set(['public_profile', ...requested])];
}

function showDialog(ctx: SimContext, req: Request, res: Response): void {
  const clientId = field(req.query, 'client_id');
  const redirectUri = field(req.query, 'redirect_uri');
  if (clientId !== ctx.settings.appId || !redirectUri) {
    res.status(400).type('html').send(page('Error', '<p>Invalid App ID or missing redirect_uri.</p>'));
    return;
  }
  const scopes = scopesOf(field(req.query, 'scope'));
  const hidden = {
    client_id: clientId,
    redirect_uri: redirectUri,
    state: field(req.query, 'state') ?? '',
    scope: scopes.join(','),
  };
  const users = [...ctx.state.users.values()];
  const body = `
<h1>${escape(ctx.settings.appName)} is requesting access to:</h1>
<form method="post" action="/dialog/oauth/confirm">
${Object.entries(hidden)
  .map(([name, value]) => `<input type="hidden" name="${name}" value="${escape(value)}">`)
  .join('\n')}
<ul>
${scopes.map((scope) => `<li>${escape(scope)} <label><input type="checkbox" name="declined" value="${escape(scope)}"> Decline</label></li>`).join('\n')}
</ul>
<label>Log in as <select name="user_id">
${users.map((user) => `<option value="${escape(user.id)}">${escape(user.name)} (${escape(user.email)})</option>`).join('\n')}
</select></label>
<button type="submit">Continue as ${escape(users[0]?.name ?? '...')}</button>
<button type="submit" name="cancel" value="1">Cancel</button>
</form>`;
  res.type('html').send(page('Log in with Facebook', body));
}

function confirm(ctx: SimContext, req: Request, res: Response): void {
  const redirectUri = field(req.body, 'redirect_uri');
  const user = ctx.state.users.get(field(req.body, 'user_id') ?? '');
  if (!redirectUri || field(req.body, 'client_id') !== ctx.settings.appId || !user) {
    res.status(400).type('html').send(page('Error', '<p>Invalid login request.</p>'));
    return;
  }
  const target = new URL(redirectUri);
  const state = field(req.body, 'state');
  if (state) target.searchParams.set('state', state);
  if (field(req.body, 'cancel')) {
    target.searchParams.set('error', 'access_denied');
    target.searchParams.set('error_code', '200');
    target.searchParams.set('error_description', 'Permissions error');
    target.searchParams.set('error_reason', 'user_denied');
    res.redirect(302, target.toString());
    return;
  }
  recordConsent(user, scopesOf(field(req.body, 'scope')), fields(req.body, 'declined'));
  target.searchParams.set('code', newOAuthCode(ctx, user.id, ctx.settings.appId, redirectUri));
  res.redirect(302, target.toString());
}

/** Permissions granted once stay granted; a declined one is removed until asked for again. */
function recordConsent(user: UserRecord, requested: string[], declined: string[]): void {
  for (const scope of requested) {
    if (declined.includes(scope) && scope !== 'public_profile') {
      user.grantedPermissions.delete(scope);
      user.declinedPermissions.add(scope);
    } else {
      user.grantedPermissions.add(scope);
      user.declinedPermissions.delete(scope);
    }
  }
}

function page(title: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escape(title)}</title></head><body>${body}</body></html>`;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
