import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Module } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import { appConfig } from '../config';

// A caller-supplied request id is kept only if it looks like an id; anything
// else could be used to inject into log lines.
const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * Structured JSON logs with a request id on every line. Query strings are cut
 * from logged URLs (the OAuth callback carries `code` and `state` there) and
 * no header is logged but a short allow-list: never `Authorization` or `Cookie`.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [appConfig.KEY],
      useFactory: (app: ConfigType<typeof appConfig>) => ({
        // With logging off, skip the per-request middleware altogether: a child
        // logger and an async context per request cost more than a token check.
        forRoutes: app.logLevel === 'silent' ? [] : undefined,
        pinoHttp: {
          level: app.logLevel,
          genReqId: (req: IncomingMessage, res: ServerResponse) => {
            const header = req.headers['x-request-id'];
            const id = typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
            res.setHeader('x-request-id', id);
            return id;
          },
          serializers: {
            req: (req: { id: string; method: string; url: string; headers: Record<string, unknown> }) => ({
              id: req.id,
              method: req.method,
              path: req.url.split('?')[0],
              userAgent: req.headers['user-agent'],
            }),
            res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
          },
          // Belt and braces: should a header object ever be logged, secrets are masked.
          redact: {
            paths: [
              'req.headers.authorization',
              'req.headers.cookie',
              'res.headers["set-cookie"]',
              '*.access_token',
              '*.refresh_token',
              '*.id_token',
              '*.client_secret',
              '*.code',
            ],
            censor: '[redacted]',
          },
          customLogLevel: (_req: IncomingMessage, res: ServerResponse, err?: Error) =>
            err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
          autoLogging: { ignore: (req: IncomingMessage) => (req.url ?? '').startsWith('/health') },
        },
      }),
    }),
  ],
})
export class LoggingModule {}
