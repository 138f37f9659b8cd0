import { HttpService } from '@nestjs/axios';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { InternalAxiosRequestConfig } from 'axios';
import { ClientCredentialsTokenProvider } from './client-credentials-token-provider';
import { RESOLVED_AUTH_HTTP_OPTIONS } from './auth-http.constants';
import type { ResolvedAuthHttpOptions } from './auth-http-options.resolver';

/**
 * Puts `Authorization: Bearer <service-account token>` on requests made with
 * `AuthHttpModule`'s HttpService. A request that already carries an
 * Authorization header (e.g. a user's token being forwarded) keeps it, and with
 * `origins` set, requests to any other origin get no token at all.
 */
@Injectable()
export class OutgoingBearerInterceptor implements OnModuleInit {
  constructor(
    private readonly http: HttpService,
    private readonly tokens: ClientCredentialsTokenProvider,
    @Inject(RESOLVED_AUTH_HTTP_OPTIONS) private readonly options: ResolvedAuthHttpOptions,
  ) {}

  onModuleInit(): void {
    this.http.axiosRef.interceptors.request.use((config) => this.authorize(config));
  }

  private async authorize(config: InternalAxiosRequestConfig): Promise<InternalAxiosRequestConfig> {
    if (config.headers.has('authorization') || !this.isTrusted(config)) return config;
    config.headers.set('authorization', `Bearer ${await this.tokens.getAccessToken()}`);
    return config;
  }

  private isTrusted(config: InternalAxiosRequestConfig): boolean {
    if (!this.options.origins) return true;
    let origin: string;
    try {
      origin = new URL(this.http.axiosRef.getUri(config)).origin;
    } catch {
      return false;
    }
    return this.options.origins.has(origin);
  }
}
