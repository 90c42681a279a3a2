// Pure helpers of the KPI, cohort and complaint pages (no imports: unit-tested in Node).

/**
 * The dashboard's KPIs in order: id, how its value reads (`points` NPS −100..100, `percent` 0..100,
 * `share` 0..1, `mean`, `hours`), and where value and count sit in the API's `values[id]`.
 */
export function kpiDefinitions() {
  return [
    { id: 'nps', unit: 'points', value: 'score', count: 'responses' },
    { id: 'csat', unit: 'percent', value: 'score', count: 'responses' },
    { id: 'ces', unit: 'mean', value: 'mean', count: 'responses' },
    { id: 'firstResponseHours', unit: 'hours', value: 'median', count: 'count', p90: 'p90' },
    { id: 'resolutionHours', unit: 'hours', value: 'median', count: 'count', p90: 'p90' },
    { id: 'promiseKeptRate', unit: 'share', value: 'rate', count: 'due' },
    { id: 'repeatPurchaseRate', unit: 'share', value: 'rate', count: 'purchasers' },
    { id: 'churnRate', unit: 'share', value: 'rate', count: 'activeAtStart' },
  ];
}

function finiteOrNull(value) {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** One KPI read from a `values` object: its value (null without data), count, p90 and raw counts. */
export function kpiReading(values, definition) {
  const entry = (values && values[definition.id]) || null;
  return {
    id: definition.id,
    unit: definition.unit,
    value: entry ? finiteOrNull(entry[definition.value]) : null,
    count: entry ? (finiteOrNull(entry[definition.count]) ?? 0) : 0,
    p90: entry && definition.p90 ? finiteOrNull(entry[definition.p90]) : null,
    detail: entry || {},
  };
}

/** A series per KPI over the report's periods (null where a period has no data), for the trend chart. */
export function kpiSeries(report, ids) {
  const periods = (report && report.periods) || [];
  const definitions = kpiDefinitions().filter((d) => ids.includes(d.id));
  return {
    labels: periods.map((p) => p.period),
    series: Object.fromEntries(definitions.map((d) => [d.id, periods.map((p) => kpiReading(p.values, d).value)])),
  };
}

/** The drivers as rows: driver, NPS and CSAT with and without, their differences and counts. */
export function driverRows(answer) {
  return ((answer && answer.drivers) || []).map((d) => ({
    driver: d.driver,
    npsWith: finiteOrNull(d.with?.nps?.score),
    npsWithout: finiteOrNull(d.without?.nps?.score),
    csatWith: finiteOrNull(d.with?.csat?.score),
    csatWithout: finiteOrNull(d.without?.csat?.score),
    npsDifference: finiteOrNull(d.difference?.nps),
    csatDifference: finiteOrNull(d.difference?.csat),
    responsesWith: d.with?.nps?.responses ?? 0,
    responsesWithout: d.without?.nps?.responses ?? 0,
    customersWith: d.with?.customers ?? 0,
    customersWithout: d.without?.customers ?? 0,
  }));
}

/**
 * The cohort table as a grid: one column per month since acquisition (0..max), one row per cohort with
 * the chosen metric's value per column (null past what the cohort has lived), and a weighted mean row:
 * customers active (or revenue) summed over the cohorts that reached that month, over their size
 * (or month-0 revenue).
 */
export function cohortGrid(answer) {
  const cohorts = (answer && answer.cohorts) || [];
  const revenue = answer && answer.metric === 'revenue';
  const max = Math.max(-1, finiteOrNull(answer && answer.maxMonthsSince) ?? -1, ...cohorts.flatMap((c) => (c.cells || []).map((cell) => cell.monthsSince)));
  const columns = Array.from({ length: max + 1 }, (_, k) => k);
  const rows = cohorts.map((c) => {
    const byMonth = new Map((c.cells || []).map((cell) => [cell.monthsSince, cell]));
    return { cohort: c.cohort, size: c.size, revenue0: c.revenue0, cells: columns.map((k) => byMonth.get(k) ?? null) };
  });
  const mean = columns.map((k) => {
    let numerator = 0;
    let denominator = 0;
    for (const row of rows) {
      const cell = row.cells[k];
      if (!cell) continue;
      numerator += revenue ? cell.revenue : cell.active;
      denominator += revenue ? row.revenue0 : row.size;
    }
    return denominator > 0 ? numerator / denominator : null;
  });
  return { columns, rows, mean };
}

/** Complaint SLA metrics as rows in step order, hours null when nothing was measured. */
export function slaMetricRows(metrics) {
  return ['firstReply', 'nextReply', 'resolution'].map((step) => {
    const m = (metrics && metrics[step]) || {};
    return { step, median: finiteOrNull(m.medianHours), p90: finiteOrNull(m.p90Hours), count: m.count ?? 0, breaches: m.breaches ?? 0 };
  });
}

/** The steps of a complaint in order, the ones it has (next reply only when one is owed). */
export function complaintSteps(item) {
  return [
    ['acknowledgement', item.acknowledgement],
    ['nextReply', item.nextReply],
    ['resolution', item.resolution],
  ].filter(([, step]) => step);
}

/**
 * A desk calendar as the policy reports it (`utcOffsetMinutes`, `hours` per weekday `mon`…`sun`,
 * `holidays`, `workdays`): its offset as `+08:00`, the opening hours grouped by identical days
 * (`mon–fri 09:00-18:00`), and the counts of holidays and make-up working days.
 */
export function calendarSummary(calendar) {
  const days = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  const minutes = Number.isFinite(calendar?.utcOffsetMinutes) ? calendar.utcOffsetMinutes : 0;
  const sign = minutes < 0 ? '-' : '+';
  const offset = `${sign}${String(Math.floor(Math.abs(minutes) / 60)).padStart(2, '0')}:${String(Math.abs(minutes) % 60).padStart(2, '0')}`;
  const groups = [];
  for (const [index, day] of days.entries()) {
    const spans = calendar?.hours?.[day] ?? null;
    const last = groups[groups.length - 1];
    if (last && last.spans === spans && last.to === index - 1) last.to = index;
    else groups.push({ from: index, to: index, spans });
  }
  return {
    offset,
    hours: groups.filter((g) => g.spans !== null).map((g) => ({ from: days[g.from], to: days[g.to], spans: g.spans })),
    holidays: (calendar?.holidays ?? []).length,
    workdays: (calendar?.workdays ?? []).length,
  };
}
