import { registerAs } from '@nestjs/config';
import { currentEnv } from './env.validation';

/** HTTP server, logging and operational settings. */
export const appConfig = registerAs('app', () => {
  const env = currentEnv();
  return {
    nodeEnv: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    // Redirect and post-logout URIs must be absolute; behind a proxy the public
    // origin differs from the listen address, so it is configurable.
    publicBaseUrl: (env.PUBLIC_BASE_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ''),
    logLevel: env.LOG_LEVEL,
    corsOrigins: splitList(env.CORS_ORIGINS),
    trustProxy: env.TRUST_PROXY,
    docsEnabled: env.DOCS_ENABLED,
    swaggerClientId: env.SWAGGER_CLIENT_ID,
    throttle: { ttlSeconds: env.THROTTLE_TTL_SECONDS, limit: env.THROTTLE_LIMIT },
  };
});

export function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}
