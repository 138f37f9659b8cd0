import { Controller, Get } from '@nestjs/common';
import { CurrentUser, Roles } from '../../auth';

@Roles('admin')
@Controller('api/admin')
export class AdminController {
  @Get()
  overview(@CurrentUser('username') username: string) {
    return { message: 'Admin area.', username };
  }
}
