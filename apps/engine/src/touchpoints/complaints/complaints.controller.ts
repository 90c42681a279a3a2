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
import { AcknowledgeComplaintDto } from './acknowledge-complaint.dto';
import { ComplaintParams } from './complaint.params';
import { EscalateComplaintDto } from './escalate-complaint.dto';
import { FileComplaintDto } from './file-complaint.dto';
import { ResolveComplaintDto } from './resolve-complaint.dto';
import { ComplaintCustomerResponseDto } from './complaint-customer-response.dto';

@ApiTags('complaints')
@Controller('customers/:id/complaints')
@Roles(...WRITERS)
export class ComplaintsController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @TouchpointRoute('File a complaint')
  file(
    @Param() { id }: CustomerParams,
    @Body() body: FileComplaintDto,
    @CommandMeta() meta: RequestMeta,
    @AnswerCommand() answer: CommandAnswer,
  ): Promise<CommandResultBody> {
    const { fields, occurredAt, envelope } = commandParts(body, meta, this.clock);
    return this.commands
      .execute(new RecordCustomerCommand('FileComplaint', { ...fields, customerId: id, occurredAt }, envelope))
      .then(answer);
  }

  @Post(':complaintId/acknowledgement')
  @TouchpointRoute('Acknowledge a complaint (first response; once)')
  acknowledge(
    @Param() { id, complaintId }: ComplaintParams,
    @Body() body: AcknowledgeComplaintDto,
    @CommandMeta() meta: RequestMeta,
    @AnswerCommand() answer: CommandAnswer,
  ): Promise<CommandResultBody> {
    const { fields, occurredAt, envelope } = commandParts(body, meta, this.clock);
    const by = fields.by ?? meta.actor.id;
    return this.commands
      .execute(
        new RecordCustomerCommand(
          'AcknowledgeComplaint',
          { ...fields, by, complaintId, customerId: id, occurredAt },
          envelope,
        ),
      )
      .then(answer);
  }

  @Post(':complaintId/escalations')
  @TouchpointRoute('Escalate an open complaint')
  escalate(
    @Param() { id, complaintId }: ComplaintParams,
    @Body() body: EscalateComplaintDto,
    @CommandMeta() meta: RequestMeta,
    @AnswerCommand() answer: CommandAnswer,
  ): Promise<CommandResultBody> {
    const { fields, occurredAt, envelope } = commandParts(body, meta, this.clock);
    return this.commands
      .execute(
        new RecordCustomerCommand(
          'EscalateComplaint',
          { ...fields, complaintId, customerId: id, occurredAt },
          envelope,
        ),
      )
      .then(answer);
  }

  @Post(':complaintId/resolution')
  @TouchpointRoute('Resolve an open complaint')
  resolve(
    @Param() { id, complaintId }: ComplaintParams,
    @Body() body: ResolveComplaintDto,
    @CommandMeta() meta: RequestMeta,
    @AnswerCommand() answer: CommandAnswer,
  ): Promise<CommandResultBody> {
    const { fields, occurredAt, envelope } = commandParts(body, meta, this.clock);
    const by = fields.by ?? meta.actor.id;
    return this.commands
      .execute(
        new RecordCustomerCommand(
          'ResolveComplaint',
          { ...fields, by, complaintId, customerId: id, occurredAt },
          envelope,
        ),
      )
      .then(answer);
  }

  @Post(':complaintId/reopening')
  @TouchpointRoute('Reopen a resolved complaint')
  reopen(
    @Param() { id, complaintId }: ComplaintParams,
    @Body() body: ReasonDto,
    @CommandMeta() meta: RequestMeta,
    @AnswerCommand() answer: CommandAnswer,
  ): Promise<CommandResultBody> {
    const { fields, occurredAt, envelope } = commandParts(body, meta, this.clock);
    return this.commands
      .execute(
        new RecordCustomerCommand('ReopenComplaint', { ...fields, complaintId, customerId: id, occurredAt }, envelope),
      )
      .then(answer);
  }

  @Post(':complaintId/awaiting-customer')
  @TouchpointRoute('Reply and wait for the customer (SLA clocks pause until the customer answers)')
  awaitCustomer(
    @Param() { id, complaintId }: ComplaintParams,
    @Body() body: AcknowledgeComplaintDto,
    @CommandMeta() meta: RequestMeta,
    @AnswerCommand() answer: CommandAnswer,
  ): Promise<CommandResultBody> {
    const { fields, occurredAt, envelope } = commandParts(body, meta, this.clock);
    const by = fields.by ?? meta.actor.id;
    return this.commands
      .execute(
        new RecordCustomerCommand(
          'AwaitComplaintCustomer',
          { ...fields, by, complaintId, customerId: id, occurredAt },
          envelope,
        ),
      )
      .then(answer);
  }

  @Post(':complaintId/customer-response')
  @TouchpointRoute("Record the customer's answer to a waiting complaint (the clocks run again; a next reply is owed)")
  customerResponse(
    @Param() { id, complaintId }: ComplaintParams,
    @Body() body: ComplaintCustomerResponseDto,
    @CommandMeta() meta: RequestMeta,
    @AnswerCommand() answer: CommandAnswer,
  ): Promise<CommandResultBody> {
    const { fields, occurredAt, envelope } = commandParts(body, meta, this.clock);
    return this.commands
      .execute(
        new RecordCustomerCommand(
          'RecordComplaintCustomerResponse',
          { ...fields, complaintId, customerId: id, occurredAt },
          envelope,
        ),
      )
      .then(answer);
  }
}
