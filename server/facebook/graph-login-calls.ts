import {
  dataListAnswer,
  debugTokenAnswer,
  managedPageAnswer,
  objectAnswer,
  permissionAnswer,
  readAnswer,
  tokenAnswer,
  userAnswer,
} from './graph-answers';
import type { GraphHttp } from './graph-http';
import type { GrantedPermission, GraphUser, ManagedPage, TokenDebugInfo, UserToken } from './graph-types';

export interface AppCredentials {
  appId: string;
  appSecret: string;
}

/** A user with thousands of Pages is rare; the bound only stops a paging loop that never ends. */
const maxPagesOfAccounts = 100;

function toUserToken(answer: { access_token: string; token_type?: string; expires_in?: number }): UserToken {
  return { accessToken: answer.access_token, tokenType: answer.token_type, expiresIn: answer.expires_in };
}

/** Calls made during login and Page connection: with a user token, the app's credentials or the app token. */
export function createLoginCalls(http: GraphHttp, app: AppCredentials) {
  const appCredentials = { client_id: app.appId, client_secret: app.appSecret };

  return {
    /** Trades the code from the OAuth dialog's redirect for a short-lived user token. */
    async exchangeCode({ code, redirectUri }: { code: string; redirectUri: string }): Promise<UserToken> {
      const params = { ...appCredentials, redirect_uri: redirectUri, code };
      const data = await http.call({ method: 'GET', path: '/oauth/access_token', params });
      return toUserToken(readAnswer(tokenAnswer, data, 'a code exchange'));
    },

    /** A long-lived user token (about 60 days); Page tokens read with it do not expire. */
    async exchangeForLongLivedToken(userToken: string): Promise<UserToken> {
      const params = { ...appCredentials, grant_type: 'fb_exchange_token', fb_exchange_token: userToken };
      const data = await http.call({ method: 'GET', path: '/oauth/access_token', params });
      return toUserToken(readAnswer(tokenAnswer, data, 'a token exchange'));
    },

    async getMe(userToken: string): Promise<GraphUser> {
      const params = { fields: 'id,name,email' };
      const data = await http.call({ method: 'GET', path: '/me', accessToken: userToken, params });
      return readAnswer(userAnswer, data, 'the user read');
    },

    /** Every Page the user manages, following Meta's paging cursors. */
    async getMyPages(userToken: string): Promise<ManagedPage[]> {
      const pages: ManagedPage[] = [];
      let after: string | undefined;
      for (let round = 0; round < maxPagesOfAccounts; round += 1) {
        const params = {
          fields: 'id,name,access_token,category,tasks',
          ...(after === undefined ? {} : { after }),
        };
        const data = await http.call({ method: 'GET', path: '/me/accounts', accessToken: userToken, params });
        const answer = readAnswer(dataListAnswer(managedPageAnswer), data, 'the Page list');
        for (const page of answer.data) {
          pages.push({
            id: page.id,
            name: page.name,
            accessToken: page.access_token,
            category: page.category,
            tasks: page.tasks,
          });
        }
        after = answer.paging?.cursors?.after;
        if (answer.paging?.next === undefined || after === undefined) break;
      }
      return pages;
    },

    async getPermissions(userToken: string): Promise<GrantedPermission[]> {
      const data = await http.call({ method: 'GET', path: '/me/permissions', accessToken: userToken });
      return readAnswer(dataListAnswer(permissionAnswer), data, 'the permission list').data;
    },

    /** Inspects any token with the app token `appId|appSecret`, which only our server knows. */
    async debugToken(token: string): Promise<TokenDebugInfo> {
      const appToken = `${app.appId}|${app.appSecret}`;
      const params = { input_token: token };
      const data = await http.call({ method: 'GET', path: '/debug_token', accessToken: appToken, params });
      const info = readAnswer(debugTokenAnswer, data, 'a token inspection').data;
      return {
        isValid: info.is_valid,
        scopes: info.scopes,
        appId: info.app_id,
        type: info.type,
        userId: info.user_id,
        profileId: info.profile_id,
        expiresAt: info.expires_at,
      };
    },

    /** Reads a Page's fields (e.g. `access_token`) with a user or Page token. */
    async getPage(pageId: string, token: string, fields: string[]): Promise<Record<string, unknown>> {
      const params = { fields: fields.join(',') };
      const data = await http.call({ method: 'GET', path: `/${pageId}`, accessToken: token, params });
      return readAnswer(objectAnswer, data, 'a Page read');
    },
  };
}

export type LoginCalls = ReturnType<typeof createLoginCalls>;
