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
import { ReasonDto } from '../shared/reason.dto';
import { TouchpointRoute } from '../shared/touchpoint-route.decorator';
import { KeepPromiseDto } from './keep-promise.dto';
import { MakePromiseDto } from './make-promise.dto';
import { PromiseParams } from './promise.params';
import { RenegotiatePromiseDto } from './renegotiate-promise.dto';

@ApiTags('promises')
@Controller('customers/:id/promises')
@Roles(...WRITERS)
export class PromisesController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @TouchpointRoute('Make a promise to the customer')
  make(
    @Param() { id }: CustomerParams,
    @Body() body: MakePromiseDto,
    @CommandMeta() meta: RequestMeta,
    @AnswerCommand() answer: CommandAnswer,
  ): Promise<CommandResultBody> {
    const { fields, occurredAt, envelope } = commandParts(body, meta, this.clock);
    const madeBy = fields.madeBy ?? meta.actor.id;
    return this.commands
      .execute(new RecordCustomerCommand('MakePromise', { ...fields, madeBy, customerId: id, occurredAt }, envelope))
      .then(answer);
  }

  @Post(':promiseId/kept')
  @TouchpointRoute('Record that an open promise was kept')
  keep(
    @Param() { id, promiseId }: PromiseParams,
    @Body() body: KeepPromiseDto,
    @CommandMeta() meta: RequestMeta,
    @AnswerCommand() answer: CommandAnswer,
  ): Promise<CommandResultBody> {
    const { fields, occurredAt, envelope } = commandParts(body, meta, this.clock);
    const keptBy = fields.keptBy ?? meta.actor.id;
    return this.commands
      .execute(
        new RecordCustomerCommand(
          'KeepPromise',
          { ...fields, keptBy, promiseId, customerId: id, occurredAt },
          envelope,
        ),
      )
      .then(answer);
  }

  @Post(':promiseId/renegotiations')
  @TouchpointRoute('Move the due date of an open promise')
  renegotiate(
    @Param() { id, promiseId }: PromiseParams,
    @Body() body: RenegotiatePromiseDto,
    @CommandMeta() meta: RequestMeta,
    @AnswerCommand() answer: CommandAnswer,
  ): Promise<CommandResultBody> {
    const { fields, occurredAt, envelope } = commandParts(body, meta, this.clock);
    return this.commands
      .execute(
        new RecordCustomerCommand('RenegotiatePromise', { ...fields, promiseId, customerId: id, occurredAt }, envelope),
      )
      .then(answer);
  }

  @Post(':promiseId/broken')
  @TouchpointRoute('Record that an open promise was broken')
  break(
    @Param() { id, promiseId }: PromiseParams,
    @Body() body: ReasonDto,
    @CommandMeta() meta: RequestMeta,
    @AnswerCommand() answer: CommandAnswer,
  ): Promise<CommandResultBody> {
    const { fields, occurredAt, envelope } = commandParts(body, meta, this.clock);
    return this.commands
      .execute(
        new RecordCustomerCommand('BreakPromise', { ...fields, promiseId, customerId: id, occurredAt }, envelope),
      )
      .then(answer);
  }

  @Post(':promiseId/cancellation')
  @TouchpointRoute('Cancel an open promise')
  cancel(
    @Param() { id, promiseId }: PromiseParams,
    @Body() body: ReasonDto,
    @CommandMeta() meta: RequestMeta,
    @AnswerCommand() answer: CommandAnswer,
  ): Promise<CommandResultBody> {
    const { fields, occurredAt, envelope } = commandParts(body, meta, this.clock);
    return this.commands
      .execute(
        new RecordCustomerCommand('CancelPromise', { ...fields, promiseId, customerId: id, occurredAt }, envelope),
      )
      .then(answer);
  }
}
