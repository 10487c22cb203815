/**
 * `npm run -s chart -- <fhir-base-url> --patient <id> [--bearer <token>] [--json]`: prints one patient's chart as
 * ChartDesk shows it (main/chart/chart-command.ts; README "Checking an EHR's data", docs/IT-GUIDE.md).
 */
import { runChartCommand } from '../main/chart/chart-command';

process.exitCode = await runChartCommand(process.argv.slice(2), {
  fetch,
  env: process.env,
  write: (text) => process.stdout.write(text),
  error: (text) => process.stderr.write(text),
});
