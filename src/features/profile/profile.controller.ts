import { Controller, Get } from '@nestjs/common';
import { CurrentUser, type AuthPrincipal } from '../../auth';

@Controller('api/profile')
export class ProfileController {
  /** The caller as the API sees them; tokens and raw claims stay on the server. */
  @Get()
  profile(@CurrentUser() user: AuthPrincipal) {
    return {
      subject: user.subject,
      username: user.username,
      email: user.email,
      name: user.name,
      realmRoles: user.realmRoles,
      clientRoles: user.clientRoles,
      scopes: user.scopes,
    };
  }
}
