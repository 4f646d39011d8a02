import dns, { type LookupAddress, type LookupOptions } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import ipaddr from 'ipaddr.js';

/**
 * Where Pagewire may call a URL someone gave it: outgoing webhooks and autoposting's feeds (SSRF). Only publicly
 * routable unicast addresses: never loopback, private, link-local, CGNAT, multicast or reserved ones, whatever name
 * points there; in production only https. `allowPrivate` (OUTGOING_WEBHOOKS_ALLOW_PRIVATE,
 * AUTOPOSTING_ALLOW_PRIVATE_FEEDS) lifts both for tests and the sandbox.
 */
export interface DestinationRules {
  allowPrivate: boolean;
  httpsOnly: boolean;
}

export class RefusedDestination extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'RefusedDestination';
  }
}

export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  return parsed.range() === 'unicast';
}

/** The reason a URL is refused before any lookup (scheme, credentials, an address literal), or null. */
export function refusalOfUrl(raw: string, rules: DestinationRules): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'Not a URL.';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'Only http and https URLs are allowed.';
  if (rules.httpsOnly && !rules.allowPrivate && url.protocol !== 'https:')
    return 'Only https URLs are allowed.';
  if (url.username || url.password) return 'A URL may not carry credentials.';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!rules.allowPrivate && ipaddr.isValid(host) && !isPublicAddress(host)) {
    return `${host} is not a public address.`;
  }
  return null;
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * The lookup the connection itself uses: every address the name resolves to is checked, and the socket connects
 * only to a checked one, so a name that changes its answer between a check and the connection (DNS rebinding)
 * gains nothing.
 */
function guardedLookup(rules: DestinationRules) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const refused = rules.allowPrivate ? undefined : addresses.find((a) => !isPublicAddress(a.address));
      if (refused) {
        return callback(
          new RefusedDestination(
            `${hostname} resolves to ${refused.address}, which is not a public address.`,
          ),
          [],
        );
      }
      const first = addresses[0];
      if (!first) return callback(new RefusedDestination(`${hostname} has no address.`), []);
      if (options.all) return callback(null, addresses);
      return callback(null, first.address, first.family);
    });
  };
}

/** HTTP agents whose every connection goes through the guarded lookup. */
export function guardedAgents(rules: DestinationRules): { httpAgent: http.Agent; httpsAgent: https.Agent } {
  const lookup = guardedLookup(rules) as unknown as http.AgentOptions['lookup'];
  return {
    httpAgent: new http.Agent({ lookup, keepAlive: false }),
    httpsAgent: new https.Agent({ lookup, keepAlive: false }),
  };
}
