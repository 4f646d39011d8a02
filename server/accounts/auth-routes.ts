import { Router, type Request, type Response, type NextFunction } from 'express';
import { rateLimit } from 'express-rate-limit';
import { Passport } from 'passport';
import { z } from 'zod';
import { facebookStrategyName, type FacebookLogin } from '../facebook/login-strategy';
import type { Strategy } from 'passport-facebook';
import { Forbidden, Unauthorized } from '../platform/errors';
import { problem, sendProblem } from '../platform/http/problem-details';
import { hasValidCsrfToken } from './csrf';
import type { LoginService } from './login';
import { saveSession, sessionCookieName, startSession } from './session';

export interface AuthRoutesDeps {
  strategy: Strategy;
  login: LoginService;
  loginRateLimit: number;
  /** Called after logout so the session's sockets close too. */
  onLogout(sessionId: string): void;
}

const invitationParams = z.object({ token: z.string().min(20).max(100) });

function authenticateWithFacebook(
  passport: InstanceType<typeof Passport>,
  req: Request,
  res: Response,
  next: NextFunction,
) {
  return new Promise<FacebookLogin>((resolve, reject) => {
    const done = (error: unknown, login: FacebookLogin | false) => {
      if (error) return reject(error instanceof Error ? error : new Unauthorized('Facebook Login failed.'));
      if (!login) return reject(new Unauthorized('Facebook Login was cancelled or refused.'));
      resolve(login);
    };
    passport.authenticate(facebookStrategyName, { session: false }, done)(req, res, next);
  });
}

/** /auth: Facebook Login, its callback, invitation links and logout; rate limited per client address. */
export function createAuthRouter({ strategy, login, loginRateLimit, onLogout }: AuthRoutesDeps): Router {
  const passport = new Passport();
  passport.use(facebookStrategyName, strategy);
  const router = Router();
  router.use(
    rateLimit({
      windowMs: 15 * 60 * 1000,
      limit: loginRateLimit,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      handler: (_req, res) => sendProblem(res, problem(429, 'Too many login attempts; try again later.')),
    }),
  );
  router.use(passport.initialize());

  router.get('/facebook', passport.authenticate(facebookStrategyName, { session: false }));

  router.get('/facebook/callback', async (req, res, next) => {
    const facebookLogin = await authenticateWithFacebook(passport, req, res, next);
    const loggedIn = await login.completeLogin(facebookLogin, req.session.invitationToken);
    await startSession(req, loggedIn);
    res.redirect('/');
  });

  router.get('/invitations/:token', async (req, res) => {
    req.session.invitationToken = invitationParams.parse(req.params).token;
    // Without it, /auth/facebook could find no session and the invitation would be lost.
    await saveSession(req);
    res.redirect('/auth/facebook');
  });

  router.post('/logout', async (req, res) => {
    if (!req.session.userId) throw new Unauthorized('Not logged in.');
    if (!hasValidCsrfToken(req)) throw new Forbidden('Missing or invalid CSRF token.');
    const sessionId = req.session.id;
    await new Promise<void>((resolve, reject) =>
      req.session.destroy((error) => (error ? reject(error) : resolve())),
    );
    onLogout(sessionId);
    res.clearCookie(sessionCookieName).status(204).end();
  });

  return router;
}
