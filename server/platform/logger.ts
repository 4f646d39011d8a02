import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Paths pino replaces with "[redacted]" wherever they appear, so a token or secret never reaches a log line even
 * when a whole request, config or Graph error is logged.
 */
export const redactedPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-hub-signature"]',
  'req.headers["x-hub-signature-256"]',
  'res.headers["set-cookie"]',
  '*.access_token',
  '*.accessToken',
  '*.appsecret_proof',
  '*.client_secret',
  '*.token',
  '*.password',
  '*.secret',
  'config.*Secret',
  'config.*Key*',
];

export interface LoggerOptions {
  level: string;
  pretty?: boolean;
  destination?: pino.DestinationStream;
}

export function createLogger({ level, destination }: LoggerOptions): Logger {
  const options: pino.LoggerOptions = {
    level,
    redact: { paths: redactedPaths, censor: '[redacted]' },
    base: { service: 'pagewire' },
  };
  return destination ? pino(options, destination) : pino(options);
}
