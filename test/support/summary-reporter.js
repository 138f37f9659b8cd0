// Prints one plain closing line, "N passed, N failed[, N skipped]", as the very
// last line of the run (after Jest's summary and the global teardown's output),
// so any CI that reads closing lines can count the run.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const line = `${results.numPassedTests} passed, ${results.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`;
    process.once('exit', () => process.stdout.write(`${line}\n`));
  }
}

module.exports = SummaryReporter;
