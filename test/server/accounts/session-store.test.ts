import { setTimeout as sleep } from 'node:timers/promises';
import express from 'express';
import mongoose from 'mongoose';
import request from 'supertest';
import {
  createSessionMiddleware,
  saveSession,
  sessionCollectionName,
} from '../../../server/accounts/session';
import { testConfig } from '../../support/config';
import { useTestDatabase } from '../../support/database';

describe('the session store', () => {
  const database = useTestDatabase();

  const storedSession = (sessionId: string) =>
    mongoose.connection.db!.collection<{ _id: string; lastModified?: Date }>(sessionCollectionName).findOne({
      _id: sessionId,
    });

  /**
   * An app with the production session middleware and two routes: `/login` starts a session and answers its id, and `/invitation` saves
   * one by hand before redirecting, as `/auth/invitations/:token` does (a redirect's headers leave before the store
   * has the session otherwise). It notes what the store held once its own save was done, then waits a moment before
   * answering, so that any later write of the session has a later `lastModified`.
   */
  function appSavingByHand() {
    const stored: { afterOwnSave?: Date | undefined } = {};
    const app = express();
    app.use(
      createSessionMiddleware({
        config: testConfig(),
        client: mongoose.connection.getClient(),
        databaseName: database.name,
      }),
    );
    app.get('/login', (req, res) => {
      req.session.userId = 'someone';
      res.json({ sessionId: req.sessionID });
    });
    app.get('/invitation', async (req, res) => {
      req.session.invitationToken = 'a'.repeat(40);
      await saveSession(req);
      stored.afterOwnSave = (await storedSession(req.sessionID))?.lastModified;
      await sleep(30);
      res.redirect('/auth/facebook');
    });
    return { app, stored };
  }

  it('a session saved by hand before a redirect is not stored again once the redirect has left', async () => {
    const { app, stored } = appSavingByHand();
    const agent = request.agent(app);
    const { sessionId } = (await agent.get('/login').expect(200)).body as { sessionId: string };
    expect(sessionId).toBeDefined();
    await agent.get('/invitation').expect(302);

    const final = await storedSession(sessionId);
    expect(stored.afterOwnSave).toBeInstanceOf(Date);
    // A second write would have landed after the redirect's headers, where it can overwrite what the browser's next
    // request stores (the OAuth state of the Facebook Login that follows an invitation link).
    expect(final?.lastModified).toEqual(stored.afterOwnSave);
  });
});
