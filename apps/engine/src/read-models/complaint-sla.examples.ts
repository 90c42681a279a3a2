// OpenAPI examples of the complaint SLA queries: answers of a running engine (default policy).

/** `GET /analytics/complaints/sla?list=overdue&limit=1`. */
export const COMPLAINT_SLA_REPORT_EXAMPLE = {
  now: '2026-01-20T12:00:00.000Z',
  knownAt: null,
  list: 'overdue',
  policy: {
    acknowledgeHours: {
      low: 48,
      medium: 24,
      high: 8,
      critical: 2,
    },
    resolveHours: {
      low: 168,
      medium: 72,
      high: 24,
      critical: 8,
    },
  },
  summary: {
    open: 5,
    pastDeadline: 3,
    acknowledgementPastDeadline: 2,
    resolutionPastDeadline: 2,
    breachedComplaints: 3,
    breaches: {
      acknowledgement: 2,
      nextReply: 0,
      resolution: 2,
    },
    late: {
      acknowledgement: 0,
      nextReply: 0,
      resolution: 0,
    },
    warnings: 1,
    waitingForCustomer: 0,
    bySeverity: {
      low: {
        open: 1,
        pastDeadline: 1,
      },
      medium: {
        open: 1,
        pastDeadline: 0,
      },
      high: {
        open: 1,
        pastDeadline: 1,
      },
      critical: {
        open: 2,
        pastDeadline: 1,
      },
    },
  },
  metrics: {
    firstReply: { medianHours: 1, p90Hours: 2.2, count: 3, breaches: 2 },
    nextReply: { medianHours: null, p90Hours: null, count: 0, breaches: 0 },
    resolution: { medianHours: 3, p90Hours: 3, count: 1, breaches: 2 },
  },
  items: [
    {
      customerId: 'alice',
      complaintId: 'k-1',
      category: 'delivery',
      severity: 'high',
      status: 'open',
      erased: false,
      filedAt: '2026-01-10T09:00:00.000Z',
      acknowledgedAt: null,
      resolvedAt: null,
      reopenedAt: null,
      escalations: 1,
      reopenings: 0,
      acknowledgement: {
        dueAt: '2026-01-10T17:00:00.000Z',
        status: 'breached',
        doneAt: null,
        breachRecordedAt: '2026-01-20T12:00:00.000Z',
        warnAt: '2026-01-10T15:00:00.000Z',
        warning: false,
        breached: true,
        pausedHours: 0,
      },
      nextReply: null,
      resolution: {
        dueAt: '2026-01-11T09:00:00.000Z',
        status: 'breached',
        doneAt: null,
        breachRecordedAt: '2026-01-20T12:00:00.000Z',
        warnAt: '2026-01-11T03:00:00.000Z',
        warning: false,
        breached: true,
        pausedHours: 0,
      },
      nextDueAt: '2026-01-10T17:00:00.000Z',
      waitingForCustomer: false,
      rule: null,
      calendar: null,
      breaches: [
        {
          sla: 'acknowledgement',
          dueAt: '2026-01-10T17:00:00.000Z',
          recordedAt: '2026-01-20T12:00:00.000Z',
        },
        {
          sla: 'resolution',
          dueAt: '2026-01-11T09:00:00.000Z',
          recordedAt: '2026-01-20T12:00:00.000Z',
        },
      ],
    },
  ],
  nextCursor: 'WyJvdmVyZHVlIiwxNzY4MDY0NDAwMDAwLCJhbGljZSIsImstMSJd',
};

/** `GET /customers/bob/complaints`. */
export const CUSTOMER_COMPLAINTS_EXAMPLE = {
  customerId: 'bob',
  erased: false,
  complaints: [
    {
      customerId: 'bob',
      complaintId: 'k-3',
      category: 'delivery',
      severity: 'low',
      status: 'open',
      erased: false,
      filedAt: '2026-01-18T09:00:00.000Z',
      acknowledgedAt: null,
      resolvedAt: null,
      reopenedAt: null,
      escalations: 0,
      reopenings: 0,
      acknowledgement: {
        dueAt: '2026-01-20T09:00:00.000Z',
        status: 'breached',
        doneAt: null,
        breachRecordedAt: '2026-01-20T12:00:00.000Z',
      },
      resolution: {
        dueAt: '2026-01-25T09:00:00.000Z',
        status: 'pending',
        doneAt: null,
        breachRecordedAt: null,
      },
      nextDueAt: '2026-01-20T09:00:00.000Z',
      breaches: [
        {
          sla: 'acknowledgement',
          dueAt: '2026-01-20T09:00:00.000Z',
          recordedAt: '2026-01-20T12:00:00.000Z',
        },
      ],
    },
    {
      customerId: 'bob',
      complaintId: 'k-4',
      category: 'delivery',
      severity: 'critical',
      status: 'open',
      erased: false,
      filedAt: '2026-01-15T09:00:00.000Z',
      acknowledgedAt: '2026-01-15T10:00:00.000Z',
      resolvedAt: null,
      reopenedAt: '2026-01-19T09:00:00.000Z',
      escalations: 0,
      reopenings: 1,
      acknowledgement: {
        dueAt: '2026-01-15T11:00:00.000Z',
        status: 'met',
        doneAt: '2026-01-15T10:00:00.000Z',
        breachRecordedAt: null,
      },
      resolution: {
        dueAt: '2026-01-19T17:00:00.000Z',
        status: 'breached',
        doneAt: null,
        breachRecordedAt: '2026-01-20T12:00:00.000Z',
      },
      nextDueAt: '2026-01-19T17:00:00.000Z',
      breaches: [
        {
          sla: 'resolution',
          dueAt: '2026-01-19T17:00:00.000Z',
          recordedAt: '2026-01-20T12:00:00.000Z',
        },
      ],
    },
  ],
  counts: {
    filed: 2,
    open: 2,
    resolved: 0,
    reopened: 1,
    escalated: 0,
    breached: 2,
    acknowledgementBreaches: 1,
    resolutionBreaches: 1,
  },
};
