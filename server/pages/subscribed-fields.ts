/** The webhook fields Pagewire handles, subscribed on every connected Page (POST /{page}/subscribed_apps). */
export const subscribedFields = [
  'messages',
  'messaging_postbacks',
  'messaging_optins',
  'messaging_referrals',
  'message_deliveries',
  'message_reads',
  'message_echoes',
  'message_reactions',
  'messaging_handovers',
  'standby',
  'messaging_policy_enforcement',
  'feed',
] as const;
