import { randomUUID } from 'node:crypto';
import { Body, Controller, HttpStatus, Inject, Param, Patch, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { v5 as uuidv5 } from 'uuid';
import { Roles } from '../../auth/roles.decorator';
import { WRITERS } from '../../auth/roles';
import { AnswerCommand, type CommandAnswer, type CommandResultBody } from '../../http/command-answer.decorator';
import { CommandMeta, type RequestMeta } from '../../http/request-meta.decorator';
import { CLOCK, type Clock, RecordCustomerCommand } from '@rapport/application';
import { commandParts } from '../shared/command-parts';
import { CustomerParams } from '../shared/customer.params';
import { TouchpointRoute } from '../shared/touchpoint-route.decorator';
import { RegisterCustomerDto } from './register-customer.dto';
import { UpdateCustomerProfileDto } from './update-customer-profile.dto';

const CUSTOMER_ID_NAMESPACE = 'a3d4b1c2-5e6f-4a7b-8c9d-0e1f2a3b4c5d';

@ApiTags('customers')
@Controller('customers')
@Roles(...WRITERS)
export class CustomersController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @TouchpointRoute('Register a customer')
  register(
    @Body() body: RegisterCustomerDto,
    @CommandMeta() meta: RequestMeta,
    @AnswerCommand() answer: CommandAnswer,
  ): Promise<CommandResultBody> {
    const { fields, occurredAt, envelope } = commandParts(body, meta, this.clock);
    // A retried registration (same Idempotency-Key) must land on the same customer.
    const customerId =
      fields.customerId ?? (meta.idempotencyKey ? uuidv5(meta.idempotencyKey, CUSTOMER_ID_NAMESPACE) : randomUUID());
    return this.commands
      .execute(new RecordCustomerCommand('RegisterCustomer', { ...fields, customerId, occurredAt }, envelope))
      .then(answer);
  }

  @Patch(':id/profile')
  @TouchpointRoute("Update a customer's profile", HttpStatus.OK)
  updateProfile(
    @Param() { id }: CustomerParams,
    @Body() body: UpdateCustomerProfileDto,
    @CommandMeta() meta: RequestMeta,
    @AnswerCommand() answer: CommandAnswer,
  ): Promise<CommandResultBody> {
    const { fields, occurredAt, envelope } = commandParts(body, meta, this.clock);
    return this.commands
      .execute(
        new RecordCustomerCommand('UpdateCustomerProfile', { customerId: id, occurredAt, changes: fields }, envelope),
      )
      .then(answer);
  }
}
