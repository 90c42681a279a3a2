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

/**
 * The split, the error measures and the coverage as [message key, values] rows: numbers stay numbers
 * (the page formats them in the reader's language); `level` is the interval level as a share.
 */
export function backtestFacts(report) {
  const value = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const e = report.errors || {};
  const c = report.coverage || {};
  const level = value(report.level);
  return [
    ['backtest.calibration', { from: report.cohortStart, to: report.calibrationEnd }],
    ['backtest.holdout', { to: report.holdoutEnd, length: value(report.holdoutLength), unit: report.unit }],
    ['backtest.customers', { customers: value(report.customers) }],
    ['backtest.holdoutPurchases', { predicted: value(e.totalPredicted), actual: value(e.totalActual), error: value(e.totalRelativeError) }],
    ['backtest.perCustomer', { mae: value(e.mae), rmse: value(e.rmse), correlation: value(e.correlation) }],
    ['backtest.predictiveInterval', { level, share: value(c.predictiveInterval) }],
    ['backtest.parameterInterval', { level, share: value(c.parameterInterval) }],
  ];
}
