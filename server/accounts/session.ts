import type { Request, RequestHandler } from 'express';
import session, { type SessionData } from 'express-session';
import MongoStore from 'connect-mongo';
import type { Db, MongoClient } from 'mongodb';
import type { Config } from '../config';

declare module 'express-session' {
  interface SessionData {
    userId?: string;
    workspaceId?: string;
    /** An invitation link's token, kept across the Facebook round trip until login accepts it. */
    invitationToken?: string;
  }
}

export const sessionCookieName = 'pagewire.sid';
export const sessionCollectionName = 'sessions';
const sessionLifetimeMs = 14 * 24 * 60 * 60 * 1000;

/**
 * A session as stored: the session as JSON (any key is safe inside a string; passport's is dotted), beside its user
 * and workspace, so a member's sessions can be found. A session stored as a bare JSON string before still reads.
 */
interface StoredSession {
  userId?: string;
  workspaceId?: string;
  json: string;
}

const toStored = (data: SessionData): StoredSession => ({
  ...(data.userId ? { userId: data.userId } : {}),
  ...(data.workspaceId ? { workspaceId: data.workspaceId } : {}),
  json: JSON.stringify(data),
});

const fromStored = (stored: StoredSession | string): SessionData =>
  JSON.parse(typeof stored === 'string' ? stored : stored.json) as SessionData;

export interface SessionMiddlewareDeps {
  config: Config;
  /** The client mongoose already holds: sessions live in the product's database, on the same connection pool. */
  client: MongoClient;
  databaseName: string;
}

/**
 * Sessions stored in the `sessions` collection, so a restart (or another process) keeps everyone logged in.
 * The cookie is httpOnly and SameSite=Lax (the OAuth redirect back from Facebook is a top-level GET, which Lax allows),
 * and Secure in production.
 */
export function createSessionMiddleware({
  config,
  client,
  databaseName,
}: SessionMiddlewareDeps): RequestHandler {
  const store = MongoStore.create({
    client,
    dbName: databaseName,
    collectionName: sessionCollectionName,
    ttl: sessionLifetimeMs / 1000,
    // FerretDB has no TTL indexes; expired sessions are never read back, and accounts:remove-expired-sessions deletes them.
    autoRemove: 'disabled',
    // Saves only on change (or once a day), so reading the dashboard does not write to the database.
    touchAfter: 24 * 60 * 60,
    serialize: (data) => toStored(data) as unknown as SessionData,
    unserialize: (stored) => fromStored(stored as unknown as StoredSession | string),
  });
  // connect-mongo's `set` deletes the `lastModified` its `get` put on the session. Given `req.session` itself, that
  // made a session saved by hand (`req.session.save()`) look changed again when the response ended, so express-session
  // stored it a second time after the response's headers had gone: a redirect's next request (the OAuth state stored
  // at /auth/facebook after an invitation link) could be overwritten by that late copy. It gets a copy instead.
  const storeSession = store.set.bind(store);
  store.set = (sessionId, data, callback) => storeSession(sessionId, { ...data }, callback);
  return session({
    name: sessionCookieName,
    secret: config.SESSION_SECRET,
    store,
    resave: false,
    saveUninitialized: false,
    rolling: false,
    proxy: config.TRUST_PROXY,
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure: config.NODE_ENV === 'production',
      maxAge: sessionLifetimeMs,
    },
  });
}

/**
 * Stores the session now. express-session sends a response's headers before its store has the session, and a browser
 * follows a redirect on its headers: a route that changes the session and redirects saves it first.
 */
export function saveSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.save((error) => (error ? reject(error) : resolve())));
}

/** A new session id on login or a workspace switch, so an id planted earlier (session fixation) is worth nothing. */
export async function startSession(
  req: Request,
  who: { userId: string; workspaceId: string },
): Promise<void> {
  await new Promise<void>((resolve, reject) =>
    req.session.regenerate((error) => (error ? reject(error) : resolve())),
  );
  req.session.userId = who.userId;
  req.session.workspaceId = who.workspaceId;
  await saveSession(req);
}

/**
 * Deletes a user's sessions in one workspace (they were removed from it), or in all (they removed the app), and
 * answers their ids. A rare action: the read scans the sessions (FerretDB uses no index on a nested field); the
 * delete is by `_id`.
 */
export async function endSessionsOf(db: Db, userId: string, workspaceId?: string): Promise<string[]> {
  const sessions = db.collection<{ _id: string }>(sessionCollectionName);
  const found = await sessions
    .find(
      { 'session.userId': userId, ...(workspaceId ? { 'session.workspaceId': workspaceId } : {}) },
      { projection: { _id: 1 } },
    )
    .toArray();
  const ids = found.map((stored) => stored._id);
  if (ids.length > 0) await sessions.deleteMany({ _id: { $in: ids } });
  return ids;
}
