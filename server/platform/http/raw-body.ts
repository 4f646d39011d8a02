import express from 'express';
import type { IncomingMessage } from 'node:http';

declare module 'http' {
  interface IncomingMessage {
    /** The exact bytes of a JSON body, kept because a webhook signature is computed over them. */
    rawBody?: Buffer;
  }
}

export function jsonBodyKeepingRawBytes(limit: string) {
  return express.json({
    limit,
    verify: (req: IncomingMessage, _res, buffer) => {
      req.rawBody = buffer;
    },
  });
}
