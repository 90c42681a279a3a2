import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandResult } from '../../command-handling/command-envelope';
import { CustomerCommandService } from '../../command-handling/customer-command.service';
import { RecordSurveyResponseCommand } from './record-survey-response.command';

@CommandHandler(RecordSurveyResponseCommand)
export class RecordSurveyResponseHandler implements ICommandHandler<RecordSurveyResponseCommand, CommandResult> {
  constructor(@Inject(CustomerCommandService) private readonly customers: CustomerCommandService) {}

  execute({ payload, envelope }: RecordSurveyResponseCommand): Promise<CommandResult> {
    return this.customers.execute({ type: 'RecordSurveyResponse', ...payload }, envelope);
  }
}
