import { Module } from '@nestjs/common';
import { ConfigModule, ConfigType } from '@nestjs/config';
import { AuthModule } from './auth';
import { appConfig, authConfig, keycloakConfig, sessionConfig, validateEnv } from './config';
import { FeaturesModule } from './features/features.module';
import { HealthModule } from './health/health.module';
import { LoggingModule } from './logging/logging.module';

@Module({
  imports: [
    ConfigModule.forRoot({
      isGlobal: true,
      cache: true,
      // `.env` is optional: real environments set variables directly.
      envFilePath: ['.env'],
      load: [appConfig, keycloakConfig, authConfig, sessionConfig],
      validate: validateEnv,
    }),
    LoggingModule,
    AuthModule.forRootAsync({
      browserFlows: true,
      inject: [appConfig.KEY, keycloakConfig.KEY, authConfig.KEY, sessionConfig.KEY],
      useFactory: (
        app: ConfigType<typeof appConfig>,
        keycloak: ConfigType<typeof keycloakConfig>,
        auth: ConfigType<typeof authConfig>,
        session: ConfigType<typeof sessionConfig>,
      ) => ({
        keycloakUrl: keycloak.url,
        realm: keycloak.realm,
        issuer: keycloak.issuer,
        audience: auth.audience,
        clientId: keycloak.clientId,
        clientSecret: keycloak.clientSecret,
        rolesClientId: auth.rolesClientId,
        algorithms: auth.algorithms,
        clockSkewSeconds: auth.clockSkewSeconds,
        jwks: {
          cacheTtlSeconds: auth.jwksCacheTtlSeconds,
          cooldownSeconds: auth.jwksCooldownSeconds,
          timeoutMs: auth.jwksTimeoutMs,
        },
        tokenCacheMaxEntries: auth.tokenCacheMax,
        introspection: auth.introspection,
        browser: {
          enabled: true,
          publicBaseUrl: app.publicBaseUrl,
          cookie: {
            name: session.cookieName,
            sameSite: session.sameSite,
            secure: session.secure === 'auto' ? 'auto' : session.secure === 'true',
          },
          sessionTtlSeconds: session.ttlSeconds,
          redisUrl: session.redisUrl,
          throttle: app.throttle,
        },
      }),
    }),
    HealthModule,
    FeaturesModule,
  ],
})
export class AppModule {}
