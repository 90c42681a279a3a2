import type {
  CallDirection,
  CallOutcome,
  ComplaintSeverity,
  ComplaintSlaStep,
  ContactDetails,
  Demographics,
  PurchaseLine,
  SurveyKind,
} from '../events/customer-events';
import { FOLLOW_UP_COMMAND_TYPES, type FollowUpCommand } from './follow-up-commands';
import { ALERT_COMMAND_TYPES, type AlertCommand } from './alert-commands';

/**
 * What every command carries: the customer and the business time it happened (given by the caller;
 * the decider never reads a clock).
 */
interface CommandBase<TType extends string> {
  type: TType;
  customerId: string;
  /** ISO-8601 business time. */
  occurredAt: string;
}

export type RegisterCustomer = CommandBase<'RegisterCustomer'> &
  ContactDetails & {
    acquisitionChannel: string;
    acquisitionCost: number;
    region: string;
    city: string;
    demographics?: Demographics;
  };

export type UpdateCustomerProfile = CommandBase<'UpdateCustomerProfile'> & {
  changes: Partial<ContactDetails> & { region?: string; city?: string; demographics?: Demographics };
};

export type EraseCustomer = CommandBase<'EraseCustomer'> & { reason: string };

export type LogCall = CommandBase<'LogCall'> & {
  callId: string;
  direction: CallDirection;
  durationSeconds: number;
  agentId: string;
  topic: string;
  outcome: CallOutcome;
  notes?: string;
};

export type RecordPurchase = CommandBase<'RecordPurchase'> & {
  orderId: string;
  lines: PurchaseLine[];
  total: number;
  currency: string;
};

export type RefundPurchase = CommandBase<'RefundPurchase'> & {
  orderId: string;
  refundId: string;
  amount: number;
  /** Defaults to the order's currency; when given it must be that currency. */
  currency?: string;
  reason?: string;
};

export type MakePromise = CommandBase<'MakePromise'> & {
  promiseId: string;
  description: string;
  dueAt: string;
  madeBy: string;
  withinPolicy: boolean;
};

export type KeepPromise = CommandBase<'KeepPromise'> & { promiseId: string; keptBy: string; note?: string };
export type RenegotiatePromise = CommandBase<'RenegotiatePromise'> & {
  promiseId: string;
  newDueAt: string;
  reason?: string;
};
export type BreakPromise = CommandBase<'BreakPromise'> & { promiseId: string; reason?: string };
export type CancelPromise = CommandBase<'CancelPromise'> & { promiseId: string; reason?: string };
/**
 * Issued by the system's deadline watcher. `occurredAt` is the promise's due date (the moment it became
 * overdue, in business time); `noticedAt` is the watcher's clock, which must be past it.
 */
export type MarkPromiseOverdue = CommandBase<'MarkPromiseOverdue'> & { promiseId: string; noticedAt: string };

export type FileComplaint = CommandBase<'FileComplaint'> & {
  complaintId: string;
  category: string;
  severity: ComplaintSeverity;
  description: string;
};

export type AcknowledgeComplaint = CommandBase<'AcknowledgeComplaint'> & {
  complaintId: string;
  by: string;
  note?: string;
};
export type EscalateComplaint = CommandBase<'EscalateComplaint'> & { complaintId: string; to: string; reason?: string };
export type ResolveComplaint = CommandBase<'ResolveComplaint'> & {
  complaintId: string;
  by: string;
  resolution: string;
};
export type ReopenComplaint = CommandBase<'ReopenComplaint'> & { complaintId: string; reason?: string };
/**
 * Issued by the system when an acknowledgement or resolution deadline passes. `occurredAt` is that
 * deadline (`dueAt`, business time); `noticedAt` is the watcher's clock, which must be past it.
 */
export type RecordComplaintSlaBreach = CommandBase<'RecordComplaintSlaBreach'> & {
  complaintId: string;
  sla: ComplaintSlaStep;
  dueAt: string;
  noticedAt: string;
};

/** The desk replied and waits for the customer: the complaint's SLA clocks pause. */
export type AwaitComplaintCustomer = CommandBase<'AwaitComplaintCustomer'> & {
  complaintId: string;
  by: string;
  note?: string;
};
/** The customer answered the desk's question: the clocks run again and a next reply is owed. */
export type RecordComplaintCustomerResponse = CommandBase<'RecordComplaintCustomerResponse'> & {
  complaintId: string;
  note?: string;
};

export type RecordSurveyResponse = CommandBase<'RecordSurveyResponse'> & {
  surveyId: string;
  kind: SurveyKind;
  score?: number;
  comment?: string;
};

export type CustomerCommand =
  | RegisterCustomer
  | UpdateCustomerProfile
  | EraseCustomer
  | LogCall
  | RecordPurchase
  | RefundPurchase
  | MakePromise
  | KeepPromise
  | RenegotiatePromise
  | BreakPromise
  | CancelPromise
  | MarkPromiseOverdue
  | FileComplaint
  | AcknowledgeComplaint
  | EscalateComplaint
  | ResolveComplaint
  | ReopenComplaint
  | RecordComplaintSlaBreach
  | AwaitComplaintCustomer
  | RecordComplaintCustomerResponse
  | RecordSurveyResponse
  | FollowUpCommand
  | AlertCommand;

export type CustomerCommandType = CustomerCommand['type'];

export type CommandOfType<T extends CustomerCommandType> = Extract<CustomerCommand, { type: T }>;

export const CUSTOMER_COMMAND_TYPES: readonly CustomerCommandType[] = [
  'RegisterCustomer',
  'UpdateCustomerProfile',
  'EraseCustomer',
  'LogCall',
  'RecordPurchase',
  'RefundPurchase',
  'MakePromise',
  'KeepPromise',
  'RenegotiatePromise',
  'BreakPromise',
  'CancelPromise',
  'MarkPromiseOverdue',
  'FileComplaint',
  'AcknowledgeComplaint',
  'EscalateComplaint',
  'ResolveComplaint',
  'ReopenComplaint',
  'RecordComplaintSlaBreach',
  'AwaitComplaintCustomer',
  'RecordComplaintCustomerResponse',
  'RecordSurveyResponse',
  ...FOLLOW_UP_COMMAND_TYPES,
  ...ALERT_COMMAND_TYPES,
];

/** Commands only the system issues (deadline watchers), never an agent. */
export const SYSTEM_COMMAND_TYPES: readonly CustomerCommandType[] = [
  'MarkPromiseOverdue',
  'RecordComplaintSlaBreach',
  'RecordHealthBandChange',
  ...ALERT_COMMAND_TYPES,
];

export const CALL_DIRECTIONS: readonly CallDirection[] = ['inbound', 'outbound'];
export const CALL_OUTCOMES: readonly CallOutcome[] = [
  'resolved',
  'follow_up',
  'no_answer',
  'escalated',
  'sale',
  'information',
];
export const COMPLAINT_SEVERITIES: readonly ComplaintSeverity[] = ['low', 'medium', 'high', 'critical'];
export const SURVEY_KINDS: readonly SurveyKind[] = ['nps', 'csat', 'ces', 'feedback'];
/** Score range per survey kind (inclusive, whole numbers). Feedback has no score. */
export const SURVEY_SCORE_RANGES: Readonly<Record<Exclude<SurveyKind, 'feedback'>, { min: number; max: number }>> = {
  nps: { min: 0, max: 10 },
  csat: { min: 1, max: 5 },
  ces: { min: 1, max: 7 },
};
