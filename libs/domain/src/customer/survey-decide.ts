import type { CommandOfType } from '../commands/customer-commands';
import { RuleViolationError } from '../errors/domain-error';
import { compact } from './compact';
import type { ActiveCustomer, DecidedEvent } from './customer-state';
import { dictGet } from './dict';

/** A customer answers a survey once (scores in range for their kind are value checks). */
export function recordSurveyResponse(
  command: CommandOfType<'RecordSurveyResponse'>,
  state: ActiveCustomer,
): DecidedEvent[] {
  const { customerId, surveyId, kind, score, comment } = command;
  if (dictGet(state.surveyIds, surveyId)) {
    throw new RuleViolationError(
      'survey.duplicate_id',
      `customer ${customerId} already answered survey ${surveyId}`,
      'surveyId',
    );
  }
  return [{ type: 'SurveyResponded', data: compact({ customerId, surveyId, kind, score, comment }) }];
}
