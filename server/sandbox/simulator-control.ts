import axios, { isAxiosError } from 'axios';
import { BadRequest, Conflict, NotFound, ServiceUnavailable } from '../platform/errors';

/**
 * The few calls the sandbox makes to the Messenger Platform simulator's control API (`/_sim`, simulator/README.md),
 * over HTTP because the product never imports the simulator. The simulator's refusals keep their meaning (an
 * unknown person is a 404); a simulator that does not answer is a 503.
 */
export interface SimulatorInfo {
  pages: { id: string; name: string }[];
  people: { id: string; name: string }[];
}

export interface SimulatorPost {
  id: string;
  pageId: string;
  message: string | null;
  createdAt: number;
  deleted: boolean;
}

export interface PersonMessage {
  text: string;
  quickReplyPayload?: string;
}

export interface SimulatorControl {
  info(): Promise<SimulatorInfo>;
  posts(pageId: string): Promise<SimulatorPost[]>;
  sendMessage(
    personId: string,
    pageId: string,
    message: PersonMessage,
  ): Promise<{ psid: string; mid: string; timestamp: number }>;
  comment(personId: string, postId: string, message: string): Promise<{ commentId: string; postId: string }>;
  createPost(pageId: string, message: string): Promise<{ postId: string }>;
  now(): Promise<number>;
  /** Answers the simulator's time after the move, in epoch ms. */
  advanceClock(ms: number): Promise<number>;
}

export function createSimulatorControl({
  url,
  timeoutMs,
}: {
  url: string;
  timeoutMs: number;
}): SimulatorControl {
  const http = axios.create({ baseURL: `${url}/_sim`, timeout: timeoutMs });
  const segment = encodeURIComponent;

  async function call<T>(what: string, request: Promise<{ data: T }>): Promise<T> {
    try {
      return (await request).data;
    } catch (error) {
      throw asDomainError(error, what, url);
    }
  }

  return {
    info: () => call('its description', http.get('/info')),
    posts: async (pageId) =>
      (await call<{ posts: SimulatorPost[] }>(`Page ${pageId}`, http.get(`/pages/${segment(pageId)}`))).posts,
    sendMessage: (personId, pageId, message) =>
      call('the message', http.post(`/people/${segment(personId)}/messages`, { pageId, ...message })),
    comment: (personId, postId, message) =>
      call('the comment', http.post(`/people/${segment(personId)}/comments`, { postId, message })),
    createPost: (pageId, message) =>
      call('the post', http.post(`/pages/${segment(pageId)}/posts`, { message })),
    now: async () => (await call<{ now: number }>('its clock', http.get('/clock'))).now,
    advanceClock: async (ms) =>
      (await call<{ now: number }>('moving its clock', http.post('/clock/advance', { ms }))).now,
  };
}

function asDomainError(error: unknown, what: string, url: string): unknown {
  if (!isAxiosError(error)) return error;
  if (!error.response) {
    return new ServiceUnavailable(
      `The simulator at ${url} did not answer about ${what} (${error.code ?? error.message}).`,
    );
  }
  const { status, data } = error.response;
  const reason = (data as { error?: string } | undefined)?.error ?? `status ${status}`;
  const detail = `The simulator refused ${what}: ${reason}`;
  if (status === 404) return new NotFound(detail);
  if (status === 409) return new Conflict(detail);
  if (status >= 400 && status < 500) return new BadRequest(detail);
  return new ServiceUnavailable(detail);
}
