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
   * Posts on the owner's account; answers X's post id and the account's @username, or throws a DomainError with
   * X's reason.
   */
  post(request: XStandingShareRequest): Promise<{ postId: string; username: string }>;
}
