export interface XStandingShareRequest {
  workspaceId: string;
  xAccountId: string;
  /** The account's owner, whose standing consent allows the share. */
  ownerUserId: string;
  /** The consent record the share rests on (models/x-standing-consent.ts). */
  consentId: string;
  text: string;
  link: string | null;
}

/** A share to X as it stands: Pagewire's record of it (models/x-post.ts) holds its one live status. */
export interface XShareState {
  status: string;
  reason: string | null;
  /** X's id of the post, once X took it. */
  xPostId: string | null;
  /** While it waits for X's rate limit: until when. */
  waitingUntil: Date | null;
}

/** What a share became at once: on X (`xPostId`), or accepted and waiting for X's rate limit (`waitingUntil`). */
export interface XStandingShareOutcome {
  /** Pagewire's id of the share, to read its live status later through `sharesOf`. */
  shareId: string;
  username: string;
  xPostId: string | null;
  waitingUntil: Date | null;
}

/**
 * The seam between autoposting and X connections: autoposting decides that an item may go (the standing consent is
 * live at this moment) and X connections post it as their owner (tokens, X's length rule, the duplicate guard,
 * tracked links): server/x/ provides it (ShareService.shareByStandingConsent).
 */
export interface XStandingShare {
  /** Whether this user of the workspace owns that connected X account: only its owner may give standing consent. */
  isOwnedBy(workspaceId: string, userId: string, xAccountId: string): Promise<boolean>;
  /** The @username of each of these connected X accounts of the workspace, by id; an unknown id is left out. */
  usernamesOf(workspaceId: string, xAccountIds: string[]): Promise<Map<string, string>>;
  /**
   * Posts on the owner's account; answers the share (posted, or waiting for X's rate limit, after which it goes or
   * fails on its own) and the account's @username, or throws a DomainError with X's reason.
   */
  post(request: XStandingShareRequest): Promise<XStandingShareOutcome>;
  /** These shares of the workspace as they stand now, by `shareId`; an unknown id is left out. */
  sharesOf(workspaceId: string, shareIds: string[]): Promise<Map<string, XShareState>>;
}
