/**
 * The one way the dashboard talks to the REST API: same-origin JSON with the session cookie, the CSRF token on every
 * state-changing request (fetched once from /api/csrf-token, again after a 403), and problem documents (RFC 9457)
 * turned into an ApiError whose message is the server's plain-words `detail`.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly problem: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

let csrfToken: Promise<string> | null = null;

function currentCsrfToken(): Promise<string> {
  csrfToken ??= fetch('/api/csrf-token', { credentials: 'same-origin' })
    .then((response) => (response.ok ? response.json() : Promise.reject(new Error('no CSRF token'))))
    .then((body: { csrfToken: string }) => body.csrfToken)
    .catch((error: unknown) => {
      csrfToken = null;
      throw error;
    });
  return csrfToken;
}

/** After logging in or out the session, and so the token, changes. */
export function forgetCsrfToken(): void {
  csrfToken = null;
}

async function problemOf(response: Response): Promise<ApiError> {
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  const detail = typeof body.detail === 'string' ? body.detail : undefined;
  const title = typeof body.title === 'string' ? body.title : undefined;
  return new ApiError(response.status, detail ?? title ?? `The server answered ${response.status}.`, body);
}

async function send(method: string, path: string, body?: unknown, retried = false): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['x-csrf-token'] = await currentCsrfToken();
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  // A session that was renewed since the token was read: read it again, once.
  if (response.status === 403 && method !== 'GET' && !retried) {
    forgetCsrfToken();
    return send(method, path, body, true);
  }
  return response;
}

export async function api<T>(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<T> {
  const response = await send(method, path, body);
  if (!response.ok) throw await problemOf(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export const get = <T>(path: string) => api<T>('GET', path);
export const post = <T>(path: string, body?: unknown) => api<T>('POST', path, body ?? {});
