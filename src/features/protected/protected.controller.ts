import { Controller, Get } from '@nestjs/common';
import { CurrentUser } from '../../auth';

/** Any valid access token (or browser session) will do: the global guard is enough. */
@Controller('api/protected')
export class ProtectedController {
  @Get()
  hello(@CurrentUser('subject') subject: string) {
    return { message: 'Protected content.', subject };
  }
}
