// Pure helpers of the CLV back-test panel (no imports: unit-tested in Node).

/** Chart series from a back-test report: labels 0..6, 7+ and the mean holdout purchases, actual and predicted. */
export function backtestSeries(report) {
  const bins = (report && report.byFrequency) || [];
  return {
    labels: bins.map((bin) => bin.label),
    customers: bins.map((bin) => bin.customers),
    actual: bins.map((bin) => (bin.customers > 0 ? bin.actual : null)),
    predicted: bins.map((bin) => (bin.customers > 0 ? bin.predicted : null)),
  };
}

/** The error measures and coverage as [label, text] rows, in the report's unit (days) for lengths. */
export function backtestFacts(report) {
  const fixed = (v, d) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(d) : '–');
  const percent = (v) => (typeof v === 'number' && Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : '–');
  const level = percent(report.level);
  const e = report.errors || {};
  const c = report.coverage || {};
  return [
    ['calibration', `${String(report.cohortStart).slice(0, 10)} … ${String(report.calibrationEnd).slice(0, 10)}`],
    ['holdout', `… ${String(report.holdoutEnd).slice(0, 10)} (${report.holdoutLength} ${report.unit})`],
    ['customers', String(report.customers)],
    ['purchases in the holdout', `predicted ${fixed(e.totalPredicted, 0)}, actual ${fixed(e.totalActual, 0)} (${percent(e.totalRelativeError)})`],
    ['per customer', `MAE ${fixed(e.mae, 3)}, RMSE ${fixed(e.rmse, 3)}, correlation ${fixed(e.correlation, 3)}`],
    [`${level} predictive interval`, `holds ${percent(c.predictiveInterval)} of the customers' holdout counts`],
    [`${level} parameter interval`, `holds ${percent(c.parameterInterval)} (an interval on the mean, not on a count)`],
  ];
}
