import {
  GraphError,
  outcomeForResponse,
  outcomeForTransportFailure,
  reasonFor,
  type GraphOutcome,
  type GraphOutcomeKind,
} from '../../../server/facebook/graph-outcomes';

function metaError(code: number, subcode?: number) {
  return {
    error: {
      message: `(#${code}) from Meta`,
      type: 'OAuthException',
      code,
      ...(subcode === undefined ? {} : { error_subcode: subcode }),
      fbtrace_id: 'AbCdEf',
    },
  };
}

const regainInTwoMinutes = {
  'x-business-use-case-usage': JSON.stringify({
    '111': [
      {
        type: 'messenger',
        call_count: 100,
        total_cputime: 40,
        total_time: 100,
        estimated_time_to_regain_access: 2,
      },
    ],
  }),
};

describe('mapping Meta errors to outcomes', () => {
  const table: [string, number, number | undefined, GraphOutcomeKind][] = [
    ['an unknown error is retried later', 1, 99, 'retry_later'],
    ['a temporary error is retried later', 2, undefined, 'retry_later'],
    ['a temporary send failure is retried later', 1200, undefined, 'retry_later'],
    ['an app rate limit is a rate limit', 4, undefined, 'rate_limited'],
    ['a user rate limit is a rate limit', 17, undefined, 'rate_limited'],
    ['a Page rate limit is a rate limit', 32, undefined, 'rate_limited'],
    ['613 is a rate limit', 613, undefined, 'rate_limited'],
    ['a business use case limit is a rate limit', 80006, undefined, 'rate_limited'],
    ['a message outside the 24-hour window is outside the window', 10, 2018278, 'outside_window'],
    ['another app owning the thread is reported as such', 10, 2018300, 'thread_owned_by_other_app'],
    ['code 10 with another subcode is a missing permission', 10, undefined, 'permission_missing'],
    ['a person who blocked the Page is unavailable', 551, 1545041, 'user_unavailable'],
    ['a second private reply is already replied', 10900, undefined, 'already_replied'],
    ['a comment that cannot be replied to is cannot reply', 10903, undefined, 'cannot_reply'],
    ['an invalid token needs re-authentication', 190, 460, 'token_invalid'],
    ['code 200 is a missing permission', 200, undefined, 'permission_missing'],
    ['code 230 is a missing permission', 230, undefined, 'permission_missing'],
    ['an invalid parameter is a bad request', 100, undefined, 'bad_request'],
    ['an unlisted 4xx code is a bad request', 368, undefined, 'bad_request'],
  ];

  test.each(table)('%s', (_name, code, subcode, kind) => {
    expect(outcomeForResponse({ status: 400, body: metaError(code, subcode), headers: {} }).kind).toBe(kind);
  });

  test('a rate limit carries the regain time of the Page it was called for, in milliseconds', () => {
    const outcome = outcomeForResponse({
      status: 400,
      body: metaError(613),
      headers: regainInTwoMinutes,
      pageId: '111',
    });
    expect(outcome).toEqual({ kind: 'rate_limited', waitMs: 120_000 });
  });

  test('a rate limit with no regain time announced waits 0, leaving the backoff to the caller', () => {
    expect(outcomeForResponse({ status: 400, body: metaError(80006), headers: {} })).toEqual({
      kind: 'rate_limited',
      waitMs: 0,
    });
  });

  test('a 5xx without Meta error JSON is retried later, honouring Retry-After', () => {
    expect(outcomeForResponse({ status: 503, body: '<html>', headers: { 'retry-after': '3' } })).toEqual({
      kind: 'retry_later',
      waitMs: 3000,
    });
  });

  test('a 4xx without Meta error JSON is a bad request', () => {
    expect(outcomeForResponse({ status: 404, body: 'Not Found', headers: {} }).kind).toBe('bad_request');
  });

  test('a 429 without Meta error JSON is a rate limit', () => {
    expect(outcomeForResponse({ status: 429, body: '', headers: {} }).kind).toBe('rate_limited');
  });

  test('a known code wins over the HTTP status', () => {
    expect(outcomeForResponse({ status: 500, body: metaError(190), headers: {} }).kind).toBe('token_invalid');
  });

  test('a timeout or reset after sending is an unknown outcome', () => {
    expect(outcomeForTransportFailure('ECONNABORTED').kind).toBe('unknown_outcome');
    expect(outcomeForTransportFailure('ECONNRESET').kind).toBe('unknown_outcome');
    expect(outcomeForTransportFailure(undefined).kind).toBe('unknown_outcome');
  });

  test('a connection that was never made is retried later, because nothing was sent', () => {
    expect(outcomeForTransportFailure('ECONNREFUSED').kind).toBe('retry_later');
  });
});

describe('GraphError', () => {
  test('carries the outcome, Meta code, subcode and trace id, and falls back to the plain reason', () => {
    const outcome: GraphOutcome = { kind: 'outside_window' };
    const error = new GraphError(outcome, { code: 10, subcode: 2018278, fbtraceId: 'X' });
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ outcome, code: 10, subcode: 2018278, fbtraceId: 'X' });
    expect(error.message).toBe(reasonFor(outcome));
  });

  test('every outcome has a reason in plain words', () => {
    const kinds: GraphOutcomeKind[] = [
      'retry_later',
      'rate_limited',
      'outside_window',
      'user_unavailable',
      'already_replied',
      'cannot_reply',
      'thread_owned_by_other_app',
      'token_invalid',
      'permission_missing',
      'bad_request',
      'unknown_outcome',
    ];
    for (const kind of kinds) {
      expect(reasonFor({ kind, waitMs: 0 } as GraphOutcome)).toMatch(/^[A-Z].+\.$/);
    }
  });
});
