import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Inject } from '@nestjs/common';
import type { FollowUpCommand } from '@rapport/domain';
import type { CommandEnvelope, CommandResult } from '../command-handling/command-envelope';
import { CustomerCommandService } from '../command-handling/customer-command.service';

/** A follow-up command from the API (schedule, complete, dismiss, reassign). */
export class FollowUpCommandMessage extends Command<CommandResult> {
  constructor(
    readonly payload: FollowUpCommand,
    readonly envelope: CommandEnvelope,
  ) {
    super();
  }
}

@CommandHandler(FollowUpCommandMessage)
export class FollowUpCommandHandler implements ICommandHandler<FollowUpCommandMessage, CommandResult> {
  constructor(@Inject(CustomerCommandService) private readonly customers: CustomerCommandService) {}

  execute({ payload, envelope }: FollowUpCommandMessage): Promise<CommandResult> {
    return this.customers.execute(payload, envelope);
  }
}
