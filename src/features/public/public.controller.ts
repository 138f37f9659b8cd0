import { Controller, Get } from '@nestjs/common';
import { Public } from '../../auth';

@Controller('api/public')
export class PublicController {
  @Public()
  @Get()
  hello() {
    return { message: 'Public content: no token needed.' };
  }
}
