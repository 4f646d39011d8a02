import { z } from 'zod';
import {
  attachmentAnswer,
  dataListAnswer,
  idAnswer,
  objectAnswer,
  pagePostAnswer,
  readAnswer,
  resultAnswer,
  sendAnswer,
  senderActionAnswer,
  subscribedAppAnswer,
  successAnswer,
  threadOwnerAnswer,
} from './graph-answers';
import type { GraphHttp } from './graph-http';
import type {
  MediaType,
  MessengerProfile,
  MessengerProfileField,
  PageCredentials,
  PagePost,
  SendRequest,
  SendResult,
  SenderAction,
  SubscribedApp,
  ThreadOwner,
  UserProfile,
  UserProfileField,
} from './graph-types';

/** Calls made with a Page access token: messaging, profile, posts, comments, handover and app installation. */
export function createPageCalls(http: GraphHttp) {
  const asPage = (page: PageCredentials) => ({ accessToken: page.accessToken, pageId: page.pageId });

  return {
    async sendMessage(page: PageCredentials, request: SendRequest): Promise<SendResult> {
      const data = await http.call({
        ...asPage(page),
        method: 'POST',
        path: `/${page.pageId}/messages`,
        body: request,
      });
      const answer = readAnswer(sendAnswer, data, 'a send');
      return { recipientId: answer.recipient_id, messageId: answer.message_id };
    },

    /** Typing indicators and read marks; Meta refuses a `sender_action` sent together with a message. */
    async sendSenderAction(page: PageCredentials, psid: string, action: SenderAction): Promise<void> {
      const body = { recipient: { id: psid }, sender_action: action };
      const data = await http.call({
        ...asPage(page),
        method: 'POST',
        path: `/${page.pageId}/messages`,
        body,
      });
      readAnswer(senderActionAnswer, data, 'a sender action');
    },

    async getUserProfile(
      page: PageCredentials,
      psid: string,
      fields: UserProfileField[],
    ): Promise<UserProfile> {
      const params = { fields: fields.join(',') };
      const data = await http.call({ ...asPage(page), method: 'GET', path: `/${psid}`, params });
      return readAnswer(z.looseObject({ id: z.string() }), data, 'a profile read') as UserProfile;
    },

    async getMessengerProfile(
      page: PageCredentials,
      fields: MessengerProfileField[],
    ): Promise<MessengerProfile> {
      const params = { fields: fields.join(',') };
      const data = await http.call({ ...asPage(page), method: 'GET', path: '/me/messenger_profile', params });
      const answer = readAnswer(dataListAnswer(objectAnswer), data, 'a Messenger Profile read');
      return (answer.data[0] ?? {}) as MessengerProfile;
    },

    async setMessengerProfile(page: PageCredentials, profile: MessengerProfile): Promise<void> {
      const data = await http.call({
        ...asPage(page),
        method: 'POST',
        path: '/me/messenger_profile',
        body: profile,
      });
      readAnswer(resultAnswer, data, 'a Messenger Profile update');
    },

    async deleteMessengerProfile(page: PageCredentials, fields: MessengerProfileField[]): Promise<void> {
      const body = { fields };
      const data = await http.call({
        ...asPage(page),
        method: 'DELETE',
        path: '/me/messenger_profile',
        body,
      });
      readAnswer(resultAnswer, data, 'a Messenger Profile deletion');
    },

    /** Returns the post id, `{pageId}_{postId}`. */
    async publishPost(
      page: PageCredentials,
      post: { message: string; link?: string },
    ): Promise<{ id: string }> {
      const data = await http.call({
        ...asPage(page),
        method: 'POST',
        path: `/${page.pageId}/feed`,
        body: post,
      });
      return readAnswer(idAnswer, data, 'a Page post');
    },

    /** The Page's own posts, newest first (docs/messenger-platform.md §5). */
    async listPublishedPosts(page: PageCredentials, limit: number): Promise<PagePost[]> {
      const params = { fields: 'id,message,created_time,permalink_url', limit: String(limit) };
      const path = `/${page.pageId}/published_posts`;
      const data = await http.call({ ...asPage(page), method: 'GET', path, params });
      return readAnswer(dataListAnswer(pagePostAnswer), data, 'a list of Page posts').data.map((post) => ({
        id: post.id,
        message: post.message ?? null,
        createdAt: post.created_time,
        permalinkUrl: post.permalink_url ?? null,
      }));
    },

    /** A public reply under the comment; private replies go through `sendMessage` with `recipient.comment_id`. */
    async replyToComment(page: PageCredentials, commentId: string, message: string): Promise<{ id: string }> {
      const path = `/${commentId}/comments`;
      const data = await http.call({ ...asPage(page), method: 'POST', path, body: { message } });
      return readAnswer(idAnswer, data, 'a comment reply');
    },

    async hideComment(page: PageCredentials, commentId: string, hidden: boolean): Promise<void> {
      const body = { is_hidden: hidden };
      const data = await http.call({ ...asPage(page), method: 'POST', path: `/${commentId}`, body });
      readAnswer(successAnswer, data, 'hiding a comment');
    },

    /** Uploads media once so broadcasts can send it by `attachment_id` instead of making Meta fetch it per person. */
    async uploadAttachment(
      page: PageCredentials,
      media: { type: MediaType; url: string },
    ): Promise<{ attachmentId: string }> {
      const body = {
        message: { attachment: { type: media.type, payload: { url: media.url, is_reusable: true } } },
      };
      const path = `/${page.pageId}/message_attachments`;
      const data = await http.call({ ...asPage(page), method: 'POST', path, body });
      return { attachmentId: readAnswer(attachmentAnswer, data, 'an attachment upload').attachment_id };
    },

    async passThreadControl(
      page: PageCredentials,
      psid: string,
      targetAppId: string,
      metadata?: string,
    ): Promise<void> {
      const body = { recipient: { id: psid }, target_app_id: targetAppId, metadata };
      const path = `/${page.pageId}/pass_thread_control`;
      readAnswer(
        successAnswer,
        await http.call({ ...asPage(page), method: 'POST', path, body }),
        'passing thread control',
      );
    },

    async takeThreadControl(page: PageCredentials, psid: string, metadata?: string): Promise<void> {
      const body = { recipient: { id: psid }, metadata };
      const path = `/${page.pageId}/take_thread_control`;
      const data = await http.call({ ...asPage(page), method: 'POST', path, body });
      readAnswer(successAnswer.or(threadOwnerAnswer), data, 'taking thread control');
    },

    /** The app that owns the thread, or undefined when the thread is idle. */
    async getThreadOwner(page: PageCredentials, psid: string): Promise<ThreadOwner | undefined> {
      const params = { recipient: psid };
      const data = await http.call({
        ...asPage(page),
        method: 'GET',
        path: `/${page.pageId}/thread_owner`,
        params,
      });
      const owner = readAnswer(threadOwnerAnswer, data, 'a thread owner read').data[0];
      return owner && { appId: owner.thread_owner.app_id };
    },

    async subscribeApp(page: PageCredentials, fields: string[]): Promise<void> {
      const params = { subscribed_fields: fields.join(',') };
      const path = `/${page.pageId}/subscribed_apps`;
      readAnswer(
        successAnswer,
        await http.call({ ...asPage(page), method: 'POST', path, params }),
        'subscribing the app',
      );
    },

    async unsubscribeApp(page: PageCredentials): Promise<void> {
      const path = `/${page.pageId}/subscribed_apps`;
      readAnswer(
        successAnswer,
        await http.call({ ...asPage(page), method: 'DELETE', path }),
        'unsubscribing the app',
      );
    },

    async getSubscribedApps(page: PageCredentials): Promise<SubscribedApp[]> {
      const path = `/${page.pageId}/subscribed_apps`;
      const data = await http.call({ ...asPage(page), method: 'GET', path });
      return readAnswer(dataListAnswer(subscribedAppAnswer), data, 'the subscribed apps').data.map((app) => ({
        id: app.id,
        name: app.name,
        subscribedFields: app.subscribed_fields,
      }));
    },
  };
}

export type PageCalls = ReturnType<typeof createPageCalls>;
