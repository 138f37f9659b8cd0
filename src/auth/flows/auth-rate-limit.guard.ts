import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerStorageService } from '@nestjs/throttler';
import { BROWSER_SETTINGS, type BrowserSettings } from '../session/browser-settings';

/** Name of the /auth throttler, for `@SkipThrottle({ [AUTH_THROTTLER]: true })`. */
export const AUTH_THROTTLER = 'auth';

/**
 * `@nestjs/throttler` for `/auth/*` only. A guard with its own options and
 * storage rather than `ThrottlerModule.forRoot()`, whose providers are global
 * and would collide with an application's own throttler configuration.
 * Counters are per process: with N replicas the effective limit is N times
 * higher, which still stops guessing at the rates that matter.
 */
@Injectable()
export class AuthRateLimitGuard extends ThrottlerGuard implements OnApplicationShutdown {
  // Every parameter is named explicitly: ThrottlerGuard's own @Inject metadata
  // is inherited and would otherwise ask for the global throttler providers.
  constructor(@Inject(BROWSER_SETTINGS) settings: BrowserSettings, @Inject(Reflector) reflector: Reflector) {
    const storage = new ThrottlerStorageService();
    super(
      { throttlers: [{ name: AUTH_THROTTLER, ttl: settings.throttle.ttlSec * 1000, limit: settings.throttle.limit }], storage },
      storage,
      reflector,
    );
  }

  onApplicationShutdown(): void {
    // Stops the storage's sweep timer, which would otherwise keep the process alive.
    (this.storageService as ThrottlerStorageService).onApplicationShutdown();
  }
}
