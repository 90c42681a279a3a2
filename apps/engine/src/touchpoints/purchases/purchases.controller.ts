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
import { OrderParams } from './order.params';
import { RecordPurchaseDto } from './record-purchase.dto';
import { RefundPurchaseDto } from './refund-purchase.dto';

@ApiTags('purchases')
@Controller('customers/:id/purchases')
@Roles(...WRITERS)
export class PurchasesController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @TouchpointRoute('Record a purchase')
  record(
    @Param() { id }: CustomerParams,
    @Body() body: RecordPurchaseDto,
    @CommandMeta() meta: RequestMeta,
    @AnswerCommand() answer: CommandAnswer,
  ): Promise<CommandResultBody> {
    const { fields, occurredAt, envelope } = commandParts(body, meta, this.clock);
    const lines = fields.lines.map(({ sku, category, quantity, unitPrice }) => ({
      sku,
      category,
      quantity,
      unitPrice,
    }));
    return this.commands
      .execute(new RecordCustomerCommand('RecordPurchase', { ...fields, lines, customerId: id, occurredAt }, envelope))
      .then(answer);
  }

  @Post(':orderId/refunds')
  @TouchpointRoute('Refund (part of) a purchase')
  refund(
    @Param() { id, orderId }: OrderParams,
    @Body() body: RefundPurchaseDto,
    @CommandMeta() meta: RequestMeta,
    @AnswerCommand() answer: CommandAnswer,
  ): Promise<CommandResultBody> {
    const { fields, occurredAt, envelope } = commandParts(body, meta, this.clock);
    return this.commands
      .execute(
        new RecordCustomerCommand('RefundPurchase', { ...fields, orderId, customerId: id, occurredAt }, envelope),
      )
      .then(answer);
  }
}
