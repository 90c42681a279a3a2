// Ends every run with one line per production adapter suite: ran against a server, or skipped and why.
// Jest hides console output of skipped files, so the notice has to come from a reporter.
class ServerSuitesReporter {
  onRunComplete(_contexts, results) {
    const servers = [
      ['EventStoreDB', 'EVENTSTORE_CONNECTION_STRING', 'event-store contract suite (esdb adapter)'],
      ['MongoDB', 'MONGODB_URI', 'read-store and key-store contract suites (mongodb adapters)'],
    ];
    for (const [name, variable, suites] of servers) {
      const line = process.env[variable]
        ? `ran against ${name}: ${suites} (${variable} is set)`
        : `skipped: no ${name}: ${suites} not run; set ${variable} (docker compose up) to run them`;
      process.stdout.write(`${line}\n`);
    }
    const { numPassedTests, numFailedTests, numPendingTests, numTodoTests } = results;
    process.stdout.write(`jest: ${numPassedTests} passed, ${numFailedTests} failed, ${numPendingTests + numTodoTests} skipped\n`);
  }
}
module.exports = ServerSuitesReporter;
