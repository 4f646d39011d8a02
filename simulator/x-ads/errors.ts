import type { Response } from 'express';

/** The Ads API's error body: `{"errors":[{"code","message"}],"request":{"params":{}}}`. */
export function sendAdsError(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ errors: [{ code, message }], request: { params: {} } });
}
