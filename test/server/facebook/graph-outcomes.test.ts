import {
  GraphError,
  outcomeForResponse,
  outcomeForTransportFailure,
  reasonFor,
  type GraphOutcome,
  type GraphOutcomeKind,
  tooManyActionsWaitMs,
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
  // Every row of docs/messenger-platform.md §2's error table, in its order, then the codes §4 adds.
  const table: [string, number, number | undefined, GraphOutcomeKind][] = [
    ['1/99, an unknown error, is retried later', 1, 99, 'retry_later'],
    ['1/1357046, an invalid JSON reply, is retried later', 1, 1357046, 'retry_later'],
    ['2, a temporary error, is retried later', 2, undefined, 'retry_later'],
    ['1200, a temporary send failure, is retried later', 1200, undefined, 'retry_later'],
    ['4, the app rate limit, is a rate limit', 4, undefined, 'rate_limited'],
    ['17, the user rate limit, is a rate limit', 17, undefined, 'rate_limited'],
    ['32, the Page rate limit, is a rate limit', 32, undefined, 'rate_limited'],
    ['613, a custom rate limit, is a rate limit', 613, undefined, 'rate_limited'],
    ['80001, the first business use case limit, is a rate limit', 80001, undefined, 'rate_limited'],
    ['80006, the messenger business use case limit, is a rate limit', 80006, undefined, 'rate_limited'],
    ['80014, the last business use case limit, is a rate limit', 80014, undefined, 'rate_limited'],
    [
      '4/2018354, a marketing message before the minimum gap, is dropped, not a rate limit',
      4,
      2018354,
      'not_allowed_for_person',
    ],
    ['9/2018352, a person performing too many actions, is retried later', 9, 2018352, 'retry_later'],
    ['10/2018278, a message outside the window, is outside the window', 10, 2018278, 'outside_window'],
    ['10/2018300, another app controlling the thread, says so', 10, 2018300, 'thread_owned_by_other_app'],
    ['551/1545041, a person who is not available, is unavailable', 551, 1545041, 'user_unavailable'],
    ['100, an invalid parameter, is a bad request', 100, undefined, 'bad_request'],
    ['100/2018001, no matching user, is unavailable', 100, 2018001, 'user_unavailable'],
    ['190, an invalid token, needs re-authentication', 190, undefined, 'token_invalid'],
    ['190/460, a session ended by a password change, needs re-authentication', 190, 460, 'token_invalid'],
    ['200, a permission error, is a missing permission', 200, undefined, 'permission_missing'],
    [
      '200/2018028, a non-tester in development mode, is a missing permission',
      200,
      2018028,
      'permission_missing',
    ],
    [
      '230, permissions that disallow messaging this user, is a missing permission',
      230,
      undefined,
      'permission_missing',
    ],
    ['368, an action deemed abusive, restricts the Page', 368, undefined, 'page_restricted'],
    ['10900, a second private reply, is already replied', 10900, undefined, 'already_replied'],
    ['10903, an activity that cannot be replied to, is cannot reply', 10903, undefined, 'cannot_reply'],
    ['100/2018218, no profile available, is unavailable', 100, 2018218, 'user_unavailable'],
    ['80000, a business use case limit (§4), is a rate limit', 80000, undefined, 'rate_limited'],
    ['an unlisted 4xx code is a bad request', 101, undefined, 'bad_request'],
  ];

  test.each(table)('%s', (_name, code, subcode, kind) => {
    expect(outcomeForResponse({ status: 400, body: metaError(code, subcode), headers: {} }).kind).toBe(kind);
  });

  test('code 10 worded as a permission error is a missing permission', () => {
    const body = metaError(10);
    body.error.message = '(#10) Requires pages_messaging permission to manage the object';
    expect(outcomeForResponse({ status: 403, body, headers: {} }).kind).toBe('permission_missing');
  });

  test('code 10 with no subcode and no mention of a permission refuses this message only', () => {
    const body = metaError(10);
    body.error.message = '(#10) This person has stopped marketing messages from this Page.';
    expect(outcomeForResponse({ status: 400, body, headers: {} }).kind).toBe('not_allowed_for_person');
  });

  test('code 10 with a subcode we do not know refuses this message only', () => {
    expect(outcomeForResponse({ status: 400, body: metaError(10, 2018999), headers: {} }).kind).toBe(
      'not_allowed_for_person',
    );
  });

  test('a person performing too many actions is retried no sooner than a minute', () => {
    expect(outcomeForResponse({ status: 400, body: metaError(9, 2018352), headers: {} })).toEqual({
      kind: 'retry_later',
      waitMs: tooManyActionsWaitMs,
    });
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
      'not_allowed_for_person',
      'thread_owned_by_other_app',
      'token_invalid',
      'permission_missing',
      'page_restricted',
      'bad_request',
      'unknown_outcome',
      'not_sent_in_time',
    ];
    for (const kind of kinds) {
      expect(reasonFor({ kind, waitMs: 0 } as GraphOutcome)).toMatch(/^[A-Z].+\.$/);
    }
  });
});
