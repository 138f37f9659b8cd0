'use strict';
// The common recipe, as tutorials write it: @nestjs/passport + passport-jwt,
// keys from jwks-rsa's passportJwtSecret (its own cache and rate limit on),
// a global AuthGuard('jwt') with a @Public() escape hatch. Same checks as our
// API: RS256 only, exact issuer, audience, exp/nbf. Nest 11 from the main
// node_modules. Plain JavaScript (decorators applied with Reflect.decorate) so
// the bench needs no build step for it. HTTP_ADAPTER picks Express (default,
// as tutorials write it) or Fastify.
//
// Environment: PORT, HOST, KEYCLOAK_URL, KEYCLOAK_REALM, AUDIENCE, HTTP_ADAPTER.

require('reflect-metadata');
const { Controller, Get, Injectable, Module, Req, SetMetadata } = require('@nestjs/common');
const { APP_GUARD, Reflector } = require('@nestjs/core');
const { AuthGuard, PassportModule, PassportStrategy } = require('@nestjs/passport');
const { ExtractJwt, Strategy } = require('passport-jwt');
const { passportJwtSecret } = require('jwks-rsa');
const { serve } = require('../nest-app');

const issuer = `${process.env.KEYCLOAK_URL}/realms/${process.env.KEYCLOAK_REALM}`;

const IS_PUBLIC_KEY = 'isPublic';
const Public = () => SetMetadata(IS_PUBLIC_KEY, true);

class JwtStrategy extends PassportStrategy(Strategy) {
  constructor() {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKeyProvider: passportJwtSecret({
        cache: true,
        rateLimit: true,
        jwksRequestsPerMinute: 5,
        jwksUri: `${issuer}/protocol/openid-connect/certs`,
      }),
      issuer,
      audience: process.env.AUDIENCE,
      algorithms: ['RS256'],
    });
  }

  validate(payload) {
    return payload;
  }
}
Reflect.decorate([Injectable()], JwtStrategy);

class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(reflector) {
    super();
    this.reflector = reflector;
  }

  canActivate(context) {
    const isPublic = this.reflector.getAllAndOverride(IS_PUBLIC_KEY, [context.getHandler(), context.getClass()]);
    return isPublic ? true : super.canActivate(context);
  }
}
Reflect.decorate([Injectable(), Reflect.metadata('design:paramtypes', [Reflector])], JwtAuthGuard);

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
      imports: [PassportModule],
      controllers: [ApiController],
      providers: [JwtStrategy, { provide: APP_GUARD, useClass: JwtAuthGuard }],
    }),
  ],
  AppModule,
);

serve(AppModule, 'common-recipe');
