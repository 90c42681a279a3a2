import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/roles.decorator';

@ApiTags('operations')
@Controller('ping')
export class PingController {
  @Get()
  @Public()
  @ApiOperation({ summary: 'Answers at once, touching nothing (the HTTP benchmark baseline)' })
  ping(): { pong: true } {
    return { pong: true };
  }
}
