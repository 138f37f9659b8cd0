// How the consumer service starts on its own: nothing about auth here,
// AuthModule registers its guards itself.
//   KEYCLOAK_URL=http://localhost:8080 KEYCLOAK_REALM=nest-keycloak-auth AUTH_AUDIENCE=nest-api \
//     node -r ts-node/register test/consumer-app/main.ts
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { ConsumerAppModule } from './app.module';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(ConsumerAppModule);
  const port = app.get(ConfigService).get<number>('PORT', 3200);
  await app.listen(port, '127.0.0.1');
}

void bootstrap();
