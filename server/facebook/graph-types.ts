/**
 * Request and response shapes of the Graph API calls the product makes, in Meta's field names where they go over the
 * wire and in ours where the client hands results back.
 */

/** A Page and the Page access token every Page-scoped call is made with. */
export interface PageCredentials {
  pageId: string;
  accessToken: string;
}

/** Exactly one way of naming who receives a message. */
export type SendRecipient =
  | { id: string }
  | { user_ref: string }
  /** A private reply to a comment or a visitor post: one per comment, within 7 days. */
  | { comment_id: string }
  | { post_id: string }
  | { notification_messages_token: string }
  | { one_time_notif_token: string }
  /** Customer matching by phone number (`pages_messaging_phone_number`; a US-only beta): the answer has no PSID. */
  | { phone_number: string };

export type MessagingType = 'RESPONSE' | 'UPDATE' | 'MESSAGE_TAG' | 'UTILITY';

export type MessageTag =
  'ACCOUNT_UPDATE' | 'CONFIRMED_EVENT_UPDATE' | 'POST_PURCHASE_UPDATE' | 'HUMAN_AGENT' | 'CUSTOMER_FEEDBACK';

export type QuickReply =
  | { content_type: 'text'; title: string; payload: string; image_url?: string }
  | { content_type: 'user_phone_number' | 'user_email' };

export type Button =
  | { type: 'web_url'; url: string; title: string; webview_height_ratio?: 'compact' | 'tall' | 'full' }
  | { type: 'postback'; title: string; payload: string };

export interface GenericElement {
  title: string;
  subtitle?: string;
  image_url?: string;
  default_action?: { type: 'web_url'; url: string };
  buttons?: Button[];
}

export type TemplatePayload =
  | { template_type: 'generic'; elements: GenericElement[]; sharable?: boolean }
  | { template_type: 'button'; text: string; buttons: Button[] }
  | {
      template_type: 'media';
      elements: [{ media_type: 'image' | 'video'; attachment_id?: string; url?: string; buttons?: Button[] }];
    };

export type MediaType = 'image' | 'audio' | 'video' | 'file';

export type MessageAttachment =
  | { type: MediaType; payload: { url: string; is_reusable?: boolean } | { attachment_id: string } }
  | { type: 'template'; payload: TemplatePayload };

export type OutgoingMessage = ({ text: string } | { attachment: MessageAttachment }) & {
  quick_replies?: QuickReply[];
  /** Comes back in the echo webhook; under 1000 characters. */
  metadata?: string;
};

export interface SendRequest {
  recipient: SendRecipient;
  messaging_type: MessagingType;
  /** Only with `messaging_type: 'MESSAGE_TAG'`. */
  tag?: MessageTag;
  message: OutgoingMessage;
  notification_type?: 'REGULAR' | 'SILENT_PUSH' | 'NO_PUSH';
  persona_id?: string;
}

export interface SendResult {
  /** Missing for `user_ref` sends. */
  recipientId?: string;
  messageId: string;
}

export type SenderAction = 'typing_on' | 'typing_off' | 'mark_seen';

export type UserProfileField =
  'id' | 'name' | 'first_name' | 'last_name' | 'profile_pic' | 'locale' | 'timezone';
export type UserProfile = { id: string } & Partial<Record<Exclude<UserProfileField, 'id'>, string | number>>;

export type MessengerProfileField =
  'get_started' | 'greeting' | 'persistent_menu' | 'ice_breakers' | 'whitelisted_domains';

/** A post the Page published; `createdAt` as Meta writes it (`2024-05-01T17:51:42+0000`). */
export interface PagePost {
  id: string;
  message: string | null;
  createdAt: string;
  permalinkUrl: string | null;
}

/** The Messenger Profile settings of a Page, as Meta names them. */
export interface MessengerProfile {
  get_started?: { payload: string };
  greeting?: { locale: string; text: string }[];
  persistent_menu?: {
    locale: string;
    composer_input_disabled?: boolean;
    call_to_actions: (Button & { title: string })[];
  }[];
  ice_breakers?: { locale?: string; call_to_actions: { question: string; payload: string }[] }[];
  whitelisted_domains?: string[];
}

export interface ThreadOwner {
  appId: string;
}

export interface SubscribedApp {
  id: string;
  name?: string;
  subscribedFields: string[];
}

export interface UserToken {
  accessToken: string;
  tokenType?: string;
  /** Seconds until the token expires, when Meta says. */
  expiresIn?: number;
}

export interface GraphUser {
  id: string;
  name?: string;
  email?: string;
}

/** A Page the logged-in user manages, with its Page access token. */
export interface ManagedPage {
  id: string;
  name: string;
  accessToken: string;
  category?: string;
  tasks: string[];
}

export interface GrantedPermission {
  permission: string;
  status: 'granted' | 'declined' | 'expired';
}

export interface TokenDebugInfo {
  isValid: boolean;
  appId?: string;
  type?: string;
  userId?: string;
  profileId?: string;
  expiresAt?: number;
  scopes: string[];
}
