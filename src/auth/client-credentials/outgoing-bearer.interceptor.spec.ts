import { HttpService } from '@nestjs/axios';
import axios, { type AxiosAdapter, type InternalAxiosRequestConfig } from 'axios';
import { lastValueFrom } from 'rxjs';
import type { ClientCredentialsTokenProvider } from './client-credentials-token-provider';
import { ClientCredentialsError } from './client-credentials.error';
import type { ResolvedAuthHttpOptions } from './auth-http-options.resolver';
import { OutgoingBearerInterceptor } from './outgoing-bearer.interceptor';

const OPTIONS: ResolvedAuthHttpOptions = { clientId: 'shop-api', clientSecret: 'secret', timeoutMs: 1_000 };

/** An HttpService whose axios instance answers locally, recording the headers each request was sent with. */
function httpService(baseURL?: string) {
  const sent: Array<{ url: string; authorization: unknown }> = [];
  const adapter: AxiosAdapter = (config: InternalAxiosRequestConfig) => {
    sent.push({ url: axios.getUri(config), authorization: config.headers.get('authorization') });
    return Promise.resolve({ data: 'ok', status: 200, statusText: 'OK', headers: {}, config });
  };
  return { http: new HttpService(axios.create({ adapter, baseURL })), sent };
}

function tokens(getAccessToken: () => Promise<string>): ClientCredentialsTokenProvider {
  return { getAccessToken: jest.fn(getAccessToken) } as unknown as ClientCredentialsTokenProvider;
}

function install(http: HttpService, provider: ClientCredentialsTokenProvider, options = OPTIONS): void {
  new OutgoingBearerInterceptor(http, provider, options).onModuleInit();
}

describe('OutgoingBearerInterceptor', () => {
  it('attaches the service-account token to every request', async () => {
    const { http, sent } = httpService();
    const provider = tokens(() => Promise.resolve('service-token'));
    install(http, provider);
    await lastValueFrom(http.get('http://orders.internal/orders'));
    await lastValueFrom(http.post('http://billing.internal/invoices', {}));
    expect(sent.map((request) => request.authorization)).toEqual(['Bearer service-token', 'Bearer service-token']);
  });

  it('keeps an Authorization header the caller set and does not fetch a token for it', async () => {
    const { http, sent } = httpService();
    const provider = tokens(() => Promise.resolve('service-token'));
    install(http, provider);
    await lastValueFrom(http.get('http://orders.internal/orders', { headers: { Authorization: 'Bearer user-token' } }));
    expect(sent[0].authorization).toBe('Bearer user-token');
    expect(provider.getAccessToken).not.toHaveBeenCalled();
  });

  it('with origins, attaches the token only to those origins, relative URLs resolved against baseURL', async () => {
    const { http, sent } = httpService('https://orders.internal:8443/api');
    const provider = tokens(() => Promise.resolve('service-token'));
    install(http, provider, { ...OPTIONS, origins: new Set(['https://orders.internal:8443']) });
    await lastValueFrom(http.get('/orders'));
    await lastValueFrom(http.get('https://orders.internal:8443/health'));
    await lastValueFrom(http.get('https://elsewhere.example/collect'));
    await lastValueFrom(http.get('http://orders.internal:8443/orders'));
    expect(sent.map((request) => [request.url, request.authorization])).toEqual([
      ['https://orders.internal:8443/api/orders', 'Bearer service-token'],
      ['https://orders.internal:8443/health', 'Bearer service-token'],
      ['https://elsewhere.example/collect', undefined],
      ['http://orders.internal:8443/orders', undefined],
    ]);
  });

  it('fails the call with the ClientCredentialsError and sends nothing when no token can be had', async () => {
    const { http, sent } = httpService();
    const failure = new ClientCredentialsError('unreachable', 'shop-api', { endpoint: 'http://127.0.0.1:1/token' });
    install(http, tokens(() => Promise.reject(failure)));
    await expect(lastValueFrom(http.get('http://orders.internal/orders'))).rejects.toBe(failure);
    expect(sent).toHaveLength(0);
  });
});
