import axios, { type AxiosInstance } from 'axios';
import type { XPostSnapshot, XTokenSnapshot } from './control-routes';
import type { XEndpoint, XRateLimit, XUserSeed } from './settings';

export type { XPostSnapshot, XTokenSnapshot };

/** Typed client of the X part of the control API (`/_sim/x/...`); usable from any process. */
export class XSimulatorControl {
  private readonly http: AxiosInstance;

  constructor(simulatorUrl: string) {
    this.http = axios.create({ baseURL: `${simulatorUrl}/_sim/x` });
  }

  async addUser(user: XUserSeed): Promise<void> {
    await this.http.put('/users', user);
  }
  async setFollowers(userId: string, followersCount: number): Promise<void> {
    await this.http.patch(`/users/${userId}`, { followersCount });
  }
  async posts(): Promise<XPostSnapshot[]> {
    return (await this.http.get<{ data: XPostSnapshot[] }>('/posts')).data.data;
  }
  async setPostMetrics(postId: string, metrics: Partial<XPostSnapshot['publicMetrics']>): Promise<void> {
    await this.http.patch(`/posts/${postId}/metrics`, metrics);
  }
  async tokens(): Promise<XTokenSnapshot[]> {
    return (await this.http.get<{ data: XTokenSnapshot[] }>('/tokens')).data.data;
  }
  async setRateLimits(limits: Partial<Record<XEndpoint, XRateLimit>>): Promise<void> {
    await this.http.put('/rate-limits', limits);
  }
}
