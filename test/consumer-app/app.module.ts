// A second, minimal Nest service securing itself with the auth package the way
// the README shows: only the public entry point, `forRootAsync` and ConfigService.
import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { AuthModule } from '../../src/auth';
import { ConsumerController } from './consumer.controller';

@Module({
  imports: [
    // The environment is the configuration (the e2e sets it); no .env file in tests.
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true }),
    AuthModule.forRootAsync({
      imports: [ConfigModule],
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({
        keycloakUrl: config.getOrThrow<string>('KEYCLOAK_URL'),
        realm: config.getOrThrow<string>('KEYCLOAK_REALM'),
        audience: config.getOrThrow<string>('AUTH_AUDIENCE'),
      }),
    }),
  ],
  controllers: [ConsumerController],
})
export class ConsumerAppModule {}
