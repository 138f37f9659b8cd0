'use strict';
// nest-keycloak-connect as its README sets it up: KeycloakConnectModule with
// the confidential client, AuthGuard + ResourceGuard + RoleGuard as global
// guards, @Public() on the public route. Nest 10 and keycloak-connect come from
// this folder's own node_modules (its peers exclude Nest 11).
//
// TOKEN_VALIDATION=online (its default: every request is also checked by
// Keycloak's introspection endpoint) or offline (signature and claims only).
// Environment: PORT, HOST, KEYCLOAK_URL, KEYCLOAK_REALM, CLIENT_ID, CLIENT_SECRET.

require('reflect-metadata');
const { Controller, Get, Module, Req } = require('@nestjs/common');
const { APP_GUARD, NestFactory } = require('@nestjs/core');
const {
  AuthGuard,
  KeycloakConnectModule,
  PolicyEnforcementMode,
  Public,
  ResourceGuard,
  RoleGuard,
  TokenValidation,
} = require('nest-keycloak-connect');

const tokenValidation = process.env.TOKEN_VALIDATION === 'offline' ? TokenValidation.OFFLINE : TokenValidation.ONLINE;

class ApiController {
  publicRoute() {
    return { message: 'Public content: no token needed.' };
  }

  protectedRoute(request) {
    return { message: 'Protected content.', subject: request.user.sub };
  }
}
const route = (name, ...decorators) =>
  Reflect.decorate(decorators, ApiController.prototype, name, Object.getOwnPropertyDescriptor(ApiController.prototype, name));
route('publicRoute', Get('public'), Public());
route('protectedRoute', Get('protected'));
Req()(ApiController.prototype, 'protectedRoute', 0);
Reflect.decorate([Controller('api')], ApiController);

class AppModule {}
Reflect.decorate(
  [
    Module({
      imports: [
        KeycloakConnectModule.register({
          authServerUrl: process.env.KEYCLOAK_URL,
          realm: process.env.KEYCLOAK_REALM,
          clientId: process.env.CLIENT_ID,
          secret: process.env.CLIENT_SECRET,
          bearerOnly: true,
          // Same audience check as the other apps.
          verifyTokenAudience: true,
          policyEnforcement: PolicyEnforcementMode.PERMISSIVE,
          tokenValidation,
          logLevels: ['error'],
        }),
      ],
      controllers: [ApiController],
      providers: [
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_GUARD, useClass: ResourceGuard },
        { provide: APP_GUARD, useClass: RoleGuard },
      ],
    }),
  ],
  AppModule,
);

async function bootstrap() {
  const app = await NestFactory.create(AppModule, { logger: ['error', 'warn'] });
  app.enableShutdownHooks();
  await app.listen(Number(process.env.PORT), process.env.HOST);
}

bootstrap().catch((error) => {
  process.stderr.write(`nest-keycloak-connect app failed to start: ${error.message}\n`);
  process.exit(1);
});
