'use strict';
// Our AuthModule in a minimal Nest app, the way a consumer service uses it
// (forRoot, global guards, @Public(), @Roles(), @CurrentUser()), so it can be
// compared like for like with the common recipe's equally minimal app: no
// helmet, CORS, cookie parser, Swagger or logging, which our full API has.
// HTTP_ADAPTER picks Express (default) or Fastify. Uses the compiled module in
// dist/auth (the bench builds it). Plain JavaScript, like the recipe app.
//
// Environment: PORT, HOST, KEYCLOAK_URL, KEYCLOAK_REALM, AUDIENCE, HTTP_ADAPTER.

require('reflect-metadata');
const path = require('node:path');
const { Controller, Get, Module } = require('@nestjs/common');
const { AuthModule, CurrentUser, Public, Roles } = require(path.resolve(__dirname, '..', '..', '..', 'dist', 'auth'));
const { serve } = require('../nest-app');

class ApiController {
  publicRoute() {
    return { message: 'Public content: no token needed.' };
  }

  protectedRoute(user) {
    return { message: 'Protected content.', subject: user.subject };
  }

  managerRoute(user) {
    return { message: 'Manager content.', subject: user.subject };
  }
}
const route = (name, ...decorators) =>
  Reflect.decorate(decorators, ApiController.prototype, name, Object.getOwnPropertyDescriptor(ApiController.prototype, name));
route('publicRoute', Get('public'), Public());
route('protectedRoute', Get('protected'));
route('managerRoute', Get('manager'), Roles('manager'));
CurrentUser()(ApiController.prototype, 'protectedRoute', 0);
CurrentUser()(ApiController.prototype, 'managerRoute', 0);
Reflect.decorate([Controller('api')], ApiController);

class AppModule {}
Reflect.decorate(
  [
    Module({
      imports: [
        AuthModule.forRoot({
          keycloakUrl: process.env.KEYCLOAK_URL,
          realm: process.env.KEYCLOAK_REALM,
          audience: process.env.AUDIENCE,
        }),
      ],
      controllers: [ApiController],
    }),
  ],
  AppModule,
);

serve(AppModule, 'our-module app');
