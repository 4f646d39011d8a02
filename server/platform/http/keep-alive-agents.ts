import http from 'node:http';
import https from 'node:https';

/** The TCP keep-alive delay axios sets on every request's socket (its `setKeepAlive(true, 60_000)`). */
const axiosKeepAliveMs = 60_000;

/**
 * Agents for axios clients that call one host again and again: Node's global agents (connections kept open, the most
 * recently used first, an idle one closed after 5 s or before the server's announced keep-alive timeout), except for
 * the TCP keep-alive delay. Node's agent sets TCP keep-alive again each time a socket goes back to its pool, with its
 * own delay (one second); axios sets it with a minute on the next request. Two different delays make two `setsockopt`
 * system calls a request, 1-2 % of the app's CPU while a broadcast sends; with axios's delay here, Node sees no change
 * and makes neither.
 */
export function keepAliveAgents(): { httpAgent: http.Agent; httpsAgent: https.Agent } {
  const options: http.AgentOptions = {
    keepAlive: true,
    keepAliveMsecs: axiosKeepAliveMs,
    scheduling: 'lifo',
    timeout: 5_000,
  };
  return { httpAgent: new http.Agent(options), httpsAgent: new https.Agent(options) };
}
