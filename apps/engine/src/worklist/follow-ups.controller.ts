import { Body, Controller, Get, Inject, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { READ_STORE, type ReadStore } from '@rapport/read-store';
import { followUpsOfCustomer } from '@rapport/projections/worklist/worklist.query';
import type { FollowUpDoc } from '@rapport/projections/worklist/worklist.projection';
import { Roles } from '../auth/roles.decorator';
import { WRITERS } from '../auth/roles';
import { AnswerCommand, type CommandAnswer, type CommandResultBody } from '../http/command-answer.decorator';
import { CommandMeta, type RequestMeta } from '../http/request-meta.decorator';
import { CLOCK, type Clock, RecordCustomerCommand, ProjectionsService } from '@rapport/application';
import { READ_MODELS } from '@rapport/projections/read-models';
import { CUSTOMER_READERS } from '../read-models/customer-read-models.controller';
import { commandParts } from '../touchpoints/shared/command-parts';
import { CustomerParams } from '../touchpoints/shared/customer.params';
import { TouchpointRoute } from '../touchpoints/shared/touchpoint-route.decorator';
import {
  CompleteFollowUpDto,
  DismissFollowUpDto,
  FollowUpParams,
  ReassignFollowUpDto,
  ScheduleFollowUpDto,
} from './follow-ups.dto';

/** A customer's follow-ups: scheduled by hand or by the worklist engine, worked through the command path. */
@ApiTags('worklist')
@ApiSecurity('api-key')
@Controller('customers/:id/follow-ups')
export class FollowUpsController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(ProjectionsService) private readonly projections: ProjectionsService,
  ) {}

  @Get()
  @Roles(...CUSTOMER_READERS)
  @ApiOperation({ summary: "The customer's follow-ups, newest first, with their reasons and outcome" })
  async list(@Param() { id }: CustomerParams): Promise<{ customerId: string; followUps: FollowUpDoc[] }> {
    const collection = await this.projections.liveCollection(READ_MODELS.worklist.name);
    return {
      customerId: id,
      followUps: await followUpsOfCustomer({ store: this.store, collection }, { customerId: id }),
    };
  }

  @Post()
  @Roles(...WRITERS)
  @TouchpointRoute('Schedule a follow-up by hand (rule `manual` by default)')
  schedule(
    @Param() { id }: CustomerParams,
    @Body() body: ScheduleFollowUpDto,
    @CommandMeta() meta: RequestMeta,
    @AnswerCommand() answer: CommandAnswer,
  ): Promise<CommandResultBody> {
    const { fields, occurredAt, envelope } = commandParts(body, meta, this.clock);
    const reasons = fields.reasons.map((r) => ({ code: r.code, detail: r.detail, eventIds: r.eventIds ?? [] }));
    return this.commands
      .execute(
        new RecordCustomerCommand(
          'ScheduleFollowUp',
          {
            customerId: id,
            occurredAt,
            followUpId: fields.followUpId,
            rule: fields.rule ?? 'manual',
            reasons,
            dueAt: fields.dueAt,
            assignee: { ...fields.assignee },
            priority: fields.priority ?? 'p3',
          },
          envelope,
        ),
      )
      .then(answer);
  }

  @Post(':followUpId/completion')
  @Roles(...WRITERS)
  @TouchpointRoute('Complete a follow-up, naming the touchpoint that did it (e.g. the call just logged)')
  complete(
    @Param() { id, followUpId }: FollowUpParams,
    @Body() body: CompleteFollowUpDto,
    @CommandMeta() meta: RequestMeta,
    @AnswerCommand() answer: CommandAnswer,
  ): Promise<CommandResultBody> {
    const { fields, occurredAt, envelope } = commandParts(body, meta, this.clock);
    return this.commands
      .execute(
        new RecordCustomerCommand(
          'CompleteFollowUp',
          { customerId: id, occurredAt, followUpId, completedBy: meta.actor.id, ...fields },
          envelope,
        ),
      )
      .then(answer);
  }

  @Post(':followUpId/dismissal')
  @Roles(...WRITERS)
  @TouchpointRoute('Dismiss a follow-up with a reason (it can no longer be completed)')
  dismiss(
    @Param() { id, followUpId }: FollowUpParams,
    @Body() body: DismissFollowUpDto,
    @CommandMeta() meta: RequestMeta,
    @AnswerCommand() answer: CommandAnswer,
  ): Promise<CommandResultBody> {
    const { fields, occurredAt, envelope } = commandParts(body, meta, this.clock);
    return this.commands
      .execute(
        new RecordCustomerCommand(
          'DismissFollowUp',
          {
            customerId: id,
            occurredAt,
            followUpId,
            dismissedBy: meta.actor.id,
            reason: fields.reason,
          },
          envelope,
        ),
      )
      .then(answer);
  }

  @Post(':followUpId/reassignment')
  @Roles(...WRITERS)
  @TouchpointRoute('Reassign a follow-up to another agent or team')
  reassign(
    @Param() { id, followUpId }: FollowUpParams,
    @Body() body: ReassignFollowUpDto,
    @CommandMeta() meta: RequestMeta,
    @AnswerCommand() answer: CommandAnswer,
  ): Promise<CommandResultBody> {
    const { fields, occurredAt, envelope } = commandParts(body, meta, this.clock);
    return this.commands
      .execute(
        new RecordCustomerCommand(
          'ReassignFollowUp',
          {
            customerId: id,
            occurredAt,
            followUpId,
            to: { ...fields.to },
            reassignedBy: meta.actor.id,
            ...(fields.reason !== undefined ? { reason: fields.reason } : {}),
          },
          envelope,
        ),
      )
      .then(answer);
  }
}
