import type { Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { configureApp } from './app.setup';

async function bootstrap(): Promise<void> {
  // Imported lazily so a configuration error (thrown while the module graph is
  // built) is reported by the handler below as one line, not a stack trace.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { AppModule } = require('./app.module') as { AppModule: Type };
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  const { port, host } = configureApp(app);
  await app.listen(port, host);
  app.get(Logger).log(`API listening on http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`);
}

bootstrap().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`Start-up failed: ${message.split('\n')[0]}\n`);
  process.exit(1);
});
