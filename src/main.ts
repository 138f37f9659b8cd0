import { existsSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
import { validateEnv } from './config';

async function bootstrap(): Promise<void> {
  // Validate before Nest starts: its own error handler would print a stack
  // trace for what is one wrong variable. ConfigModule loads .env the same way.
  if (existsSync('.env')) process.loadEnvFile('.env');
  validateEnv(process.env);

  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    bufferLogs: true,
    abortOnError: false,
    bodyParser: false,
  });
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
