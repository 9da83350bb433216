export { huntUserDays, type ExplainScope, type HuntCounts, type HuntOptions, type HuntResult } from './huntUserDays.js';
export { toHuntReport, DEFAULT_REPORT_ROWS, type ReportMeta } from './huntReport.js';
export { topContributions, userDayView, type Contribution } from './userDayView.js';
export {
  AUTO_EXPLAIN_ALL_ROWS,
  CORRELATION_COLUMNS,
  DEFAULT_CONTRIBUTIONS,
  DEFAULT_TOP,
  NOTEBOOK_PARAMETERS,
} from './notebookParameters.js';
export { huntUserDayPasses, type HuntPass, type HuntPassesOptions, type UserDayPasses } from './passes/huntPasses.js';
export { scoresTable, outliersTable } from './huntTables.js';
export { EXPECTED_VALUE_COLUMN, SCORE_COLUMNS, scoreColumns, shapColumnName, shapColumns } from './resultColumns.js';
