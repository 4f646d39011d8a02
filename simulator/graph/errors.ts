import { newFbtraceId } from '../ids';

interface CatalogueEntry {
  code: number;
  subcode?: number;
  message: string;
  transient?: boolean;
}

/** Meta's error catalogue as the simulator answers it (docs/messenger-platform.md §2 and Graph API error docs). */
export const GRAPH_ERRORS = {
  unknown: { code: 1, subcode: 99, message: 'An unknown error occurred' },
  temporary: {
    code: 2,
    message: 'An unexpected error has occurred. Please retry your request later.',
    transient: true,
  },
  sendFailure: {
    code: 1200,
    message: 'Temporary send message failure. Please try again later',
    transient: true,
  },
  rateLimited: { code: 613, message: '(#613) Calls to this api have exceeded the rate limit.' },
  bucRateLimited: {
    code: 80006,
    message:
      '(#80006) There have been too many messages sent to this Messenger thread from your Page in a short period of time. Please try again later.',
  },
  marketingGap: {
    code: 4,
    subcode: 2018354,
    message: '(#4) The marketing message was sent before the minimum time gap for this person.',
  },
  outsideWindow: {
    code: 10,
    subcode: 2018278,
    message: '(#10) This message is sent outside of allowed window.',
  },
  threadOwnedByAnotherApp: {
    code: 10,
    subcode: 2018300,
    message: '(#10) Another app is controlling this thread now.',
  },
  notificationsStopped: {
    code: 10,
    message: '(#10) This person has stopped marketing messages from this Page.',
  },
  userUnavailable: { code: 551, subcode: 1545041, message: "(#551) This person isn't available right now." },
  alreadyReplied: { code: 10900, message: '(#10900) Activity already replied to' },
  cannotReplyToActivity: { code: 10903, message: '(#10903) This user cant reply to this activity' },
  noMatchingUser: { code: 100, subcode: 2018001, message: '(#100) No matching user found' },
  noProfile: { code: 100, subcode: 2018218, message: '(#100) No profile available for this user' },
  invalidParameter: { code: 100, message: '(#100) Invalid parameter' },
  utilityNeedsTemplate: {
    code: 100,
    message: '(#100) messaging_type UTILITY requires a utility template (template_type utility)',
  },
  accessTokenRequired: { code: 104, message: 'An access token is required to request this resource.' },
  invalidToken: { code: 190, message: 'Invalid OAuth access token - Cannot parse access token' },
  invalidAppToken: { code: 190, message: 'Invalid OAuth access token signature.' },
  tokenExpired: { code: 190, subcode: 463, message: 'Error validating access token: Session has expired.' },
  tokenPasswordChanged: {
    code: 190,
    subcode: 460,
    message:
      'Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.',
  },
  tokenAppRemoved: {
    code: 190,
    subcode: 458,
    message: 'Error validating access token: The user has not authorized application.',
  },
  tokenInvalidated: { code: 190, message: 'Error validating access token: The session is invalid.' },
  missingPermission: { code: 200, message: 'Requires {permission} permission to manage the object' },
  pageTokenRequired: {
    code: 210,
    message: '(#210) A page access token is required to request this resource.',
  },
  appTokenRequired: { code: 15, message: '(#15) This method must be called with an app access_token.' },
  invalidProof: { code: 100, message: 'Invalid appsecret_proof provided in the API argument' },
  proofRequired: { code: 100, message: 'API calls from the server require an appsecret_proof argument' },
  invalidClientSecret: { code: 1, message: 'Error validating client secret.' },
  invalidClientId: { code: 101, message: 'Error validating application. Invalid application ID.' },
  codeUsed: { code: 100, subcode: 36009, message: 'This authorization code has been used.' },
  codeInvalid: { code: 100, subcode: 36007, message: 'Invalid verification code format.' },
  codeExpired: { code: 100, subcode: 36007, message: 'This authorization code has expired.' },
  redirectMismatch: {
    code: 100,
    subcode: 36008,
    message:
      'Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request',
  },
  callbackVerificationFailed: { code: 2200, message: '(#2200) callback verification failed: {reason}' },
} satisfies Record<string, CatalogueEntry>;

export type GraphErrorName = keyof typeof GRAPH_ERRORS;

export class GraphError extends Error {
  constructor(
    readonly code: number,
    readonly subcode: number | null,
    message: string,
    readonly transient = false,
    readonly errorData: Record<string, unknown> | null = null,
  ) {
    super(message);
  }

  static of(name: GraphErrorName, vars: Record<string, string> = {}, errorData?: Record<string, unknown>) {
    const entry: CatalogueEntry = GRAPH_ERRORS[name];
    const message = entry.message.replace(/\{(\w+)\}/g, (_, key: string) => vars[key] ?? '');
    return new GraphError(
      entry.code,
      entry.subcode ?? null,
      message,
      entry.transient ?? false,
      errorData ?? null,
    );
  }

  /** Code 100 with a specific message, e.g. a failed Send API validation. */
  static invalid(message: string, subcode: number | null = null): GraphError {
    return new GraphError(100, subcode, `(#100) ${message}`);
  }

  static unsupported(method: string, id: string): GraphError {
    return new GraphError(
      100,
      33,
      `Unsupported ${method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
    );
  }

  toBody(): { error: Record<string, unknown> } {
    return {
      error: {
        message: this.message,
        type: 'OAuthException',
        code: this.code,
        ...(this.subcode !== null ? { error_subcode: this.subcode } : {}),
        ...(this.transient ? { is_transient: true } : {}),
        ...(this.errorData ? { error_data: this.errorData } : {}),
        fbtrace_id: newFbtraceId(),
      },
    };
  }
}

/** What a throttled Page gets: 613, or the BUC code the settings name (UNCONFIRMED which one Messenger uses). */
export function rateLimitError(errorCode: number, regainInMs: number): GraphError {
  const errorData = { estimated_time_to_regain_access_ms: regainInMs };
  if (errorCode === 613) return GraphError.of('rateLimited', {}, errorData);
  const message = GraphError.of('bucRateLimited').message.replace('80006', String(errorCode));
  return new GraphError(errorCode, null, message, false, errorData);
}
