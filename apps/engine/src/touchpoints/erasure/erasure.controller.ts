import { Body, Controller, HttpStatus, Inject, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '../../auth/roles.decorator';
import { AnswerCommand, type CommandAnswer, type CommandResultBody } from '../../http/command-answer.decorator';
import { CommandMeta, type RequestMeta } from '../../http/request-meta.decorator';
import { CLOCK, type Clock, RecordCustomerCommand } from '@rapport/application';
import { commandParts } from '../shared/command-parts';
import { CustomerParams } from '../shared/customer.params';
import { TouchpointRoute } from '../shared/touchpoint-route.decorator';
import { EraseCustomerDto } from './erase-customer.dto';

@ApiTags('erasure')
@Controller('customers/:id/erasure')
@Roles('admin')
export class ErasureController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @TouchpointRoute('Erase a customer: destroy its key (crypto-shredding) and record CustomerErased', HttpStatus.OK)
  erase(
    @Param() { id }: CustomerParams,
    @Body() body: EraseCustomerDto,
    @CommandMeta() meta: RequestMeta,
    @AnswerCommand() answer: CommandAnswer,
  ): Promise<CommandResultBody> {
    const { fields, occurredAt, envelope } = commandParts(body, meta, this.clock);
    return this.commands
      .execute(new RecordCustomerCommand('EraseCustomer', { ...fields, customerId: id, occurredAt }, envelope))
      .then(answer);
  }
}
