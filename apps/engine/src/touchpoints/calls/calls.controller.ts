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
import { LogCallDto } from './log-call.dto';

@ApiTags('calls')
@Controller('customers/:id/calls')
@Roles(...WRITERS)
export class CallsController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @TouchpointRoute('Log a call')
  log(
    @Param() { id }: CustomerParams,
    @Body() body: LogCallDto,
    @CommandMeta() meta: RequestMeta,
    @AnswerCommand() answer: CommandAnswer,
  ): Promise<CommandResultBody> {
    const { fields, occurredAt, envelope } = commandParts(body, meta, this.clock);
    const agentId = fields.agentId ?? meta.actor.id;
    return this.commands
      .execute(new RecordCustomerCommand('LogCall', { ...fields, agentId, customerId: id, occurredAt }, envelope))
      .then(answer);
  }
}
