/**
 * Get Started is the postback Meta sends when a person taps the button, carrying the payload the Page set in its
 * Messenger Profile; ours is always BOT_GET_STARTED_PAYLOAD (bots/engine/messenger-profile.ts). Any other postback
 * is a postback, whatever its title says: the title is in the person's language and buttons may share it.
 */
export function isGetStarted(postbackPayload: string | undefined, getStartedPayload: string): boolean {
  return postbackPayload === getStartedPayload;
}
