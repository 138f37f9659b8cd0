import type { INestApplication } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import type { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import helmet from 'helmet';
import { appConfig } from './config';
import { setupSwagger } from './docs/swagger.setup';
import { bodyParsers } from './http/body-parsing';

/**
 * Everything `main.ts` and the e2e tests both need on an application instance,
 * so the app under test is the app in production.
 */
export function configureApp(app: INestApplication): { port: number; host: string } {
  const config = app.get<ConfigType<typeof appConfig>>(appConfig.KEY);
  const express = app as NestExpressApplication;
  if (config.trustProxy) express.set('trust proxy', 1);
  express.disable('x-powered-by');
  app.use(helmet());
  app.use(cookieParser());
  // The app is created with `bodyParser: false`; these answer bad bodies without echoing parser errors.
  app.use(...bodyParsers());
  app.enableCors(
    config.corsOrigins.length
      ? { origin: config.corsOrigins, credentials: true, exposedHeaders: ['WWW-Authenticate', 'x-request-id'] }
      : { origin: false },
  );
  app.enableShutdownHooks();
  setupSwagger(app);
  return { port: config.port, host: config.host };
}
