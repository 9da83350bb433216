export { FeatureError, type FeatureErrorLocation } from './errors.js';
export {
  DERIVED_COLUMNS,
  MODEL_FEATURES,
  RAW_MODEL_FEATURES,
  ZSCORE_SOURCES,
  meanColumn,
  stdColumn,
  zscoreColumn,
  type ModelFeature,
  type ZscoreSource,
} from './featureList.js';
export { appendFeatures, buildFeatureTable } from './featureTable.js';
export { groupMeanAndStd, RunningGroupStatistics, type GroupStatistics } from './groupStatistics.js';
export { modelFeatureColumns } from './modelFeatures.js';
export { rowsWithSuccessfulLogons } from './successfulLogonFilter.js';
export { NOTEBOOK_LARGE_TABLE_TREES, NOTEBOOK_SMALL_TABLE_ROWS, notebookTreeCount } from './treeCount.js';
export { USER_KEY_COLUMNS, SUCCESSFUL_LOGONS } from './userDayColumns.js';
export { groupRowsByUser, UserGrouper, type UserGroups } from './userGroups.js';
export { clippedLogZscore } from './zscore.js';
export { BatchFeatures } from './batchFeatures.js';
export { UserStatistics, UserStatisticsBuilder } from './userStatistics.js';
