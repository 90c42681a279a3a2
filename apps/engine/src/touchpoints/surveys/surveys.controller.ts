import { Body, Controller, Inject, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '../../auth/roles.decorator';
import { WRITERS } from '../../auth/roles';
import { AnswerCommand, type CommandAnswer, type CommandResultBody } from '../../http/command-answer.decorator';
import { CommandMeta, type RequestMeta } from '../../http/request-meta.decorator';
import { CLOCK, type Clock, RecordCustomerCommand } from '@rapport/application';
import { commandParts } from '../shared/command-parts';
import { CustomerParams } from '../shared/customer.params';
import { TouchpointRoute } from '../shared/touchpoint-route.decorator';
import { RecordSurveyResponseDto } from './record-survey-response.dto';

@ApiTags('surveys')
@Controller('customers/:id/surveys')
@Roles(...WRITERS)
export class SurveysController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @TouchpointRoute('Record a survey response (NPS 0-10, CSAT 1-5, CES 1-7, or free feedback)')
  record(
    @Param() { id }: CustomerParams,
    @Body() body: RecordSurveyResponseDto,
    @CommandMeta() meta: RequestMeta,
    @AnswerCommand() answer: CommandAnswer,
  ): Promise<CommandResultBody> {
    const { fields, occurredAt, envelope } = commandParts(body, meta, this.clock);
    return this.commands
      .execute(new RecordCustomerCommand('RecordSurveyResponse', { ...fields, customerId: id, occurredAt }, envelope))
      .then(answer);
  }
}
