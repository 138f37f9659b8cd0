import { HttpModule, type HttpModuleOptions } from '@nestjs/axios';
import { ConfigurableModuleBuilder } from '@nestjs/common';

/** Service-to-service calls with this service's own Keycloak service account. */
export interface AuthHttpModuleOptions {
  /** Confidential client whose service account calls other services; default: `AuthModule`'s `clientId`. */
  clientId?: string;
  /** Its secret; default: `AuthModule`'s `clientSecret`. */
  clientSecret?: string;
  /** Space-separated scopes to request in addition to the client's default scopes. */
  scope?: string;
  /** Renew the token this long before it expires (default 30 s, at most half its lifetime). */
  renewMarginSeconds?: number;
  /**
   * Origins (`https://orders.internal:8443`) whose requests get the token.
   * Default: every request made with this module's `HttpService`.
   */
  origins?: string[];
}

/** Module-shape switches, given beside the options in `register`/`registerAsync`. */
export interface AuthHttpModuleExtras {
  /** Axios defaults (baseURL, timeout, …) of the dedicated `HttpService` this module exports. */
  http: HttpModuleOptions;
}

export const {
  ConfigurableModuleClass: ConfigurableAuthHttpModule,
  MODULE_OPTIONS_TOKEN: AUTH_HTTP_MODULE_OPTIONS,
} = new ConfigurableModuleBuilder<AuthHttpModuleOptions>({ moduleName: 'AuthHttp' })
  .setClassMethodName('register')
  // The HttpModule is registered here, with its own axios instance, so the
  // service token is attached only to calls made through this module's HttpService.
  .setExtras<AuthHttpModuleExtras>({ http: {} }, (definition, extras) => {
    const http = HttpModule.register(extras.http);
    return { ...definition, imports: [...(definition.imports ?? []), http], exports: [...(definition.exports ?? []), http] };
  })
  .build();
