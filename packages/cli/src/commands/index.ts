import type { CommandEntry } from '../command.js';

/**
 * Every `isoforest` command, in the order --help lists them: the whole hunt, then its steps in data-flow order, then
 * the tools for tuning. Each command's module (and so what it imports: Arrow, the WebAssembly core, the Azure SDK)
 * is loaded only when that command runs or shows its help, so that `isoforest --help` starts as fast as Node.
 */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'hunt',
    summary:
      'Hunt anomalous logon user-days end to end: features, forest, scores, SHAP, report (the demo data by default)',
    load: async () => (await import('./hunt.js')).huntCommand,
  },
  {
    name: 'investigate',
    summary: 'Show the raw logons behind one user-day: sources, targets, failure reasons, hour by hour',
    load: async () => (await import('./investigate.js')).investigateCommand,
  },
  {
    name: 'publish',
    summary:
      "Send a hunt's flagged user-days to the Microsoft Sentinel table IsoforestAnomalies_CL (Logs Ingestion API)",
    load: async () => (await import('./publish.js')).publishCommand,
  },
  {
    name: 'query',
    summary: "Pull user-days from Microsoft Sentinel / Log Analytics with the notebook's KQL, one day per request",
    load: async () => (await import('./query.js')).queryCommand,
  },
  {
    name: 'aggregate',
    summary: "Aggregate raw 4624/4625 logon events into user-days, with the notebook's KQL filters",
    load: async () => (await import('./aggregate.js')).aggregateCommand,
  },
  {
    name: 'features',
    summary: "Compute the notebook's per-user z-score features of user-days",
    load: async () => (await import('./features.js')).featuresCommand,
  },
  {
    name: 'fit',
    summary: 'Train an isolation forest and save it',
    load: async () => (await import('./fit.js')).fitCommand,
  },
  {
    name: 'score',
    summary: 'Score rows with a saved or scikit-learn model',
    load: async () => (await import('./score.js')).scoreCommand,
  },
  {
    name: 'explain',
    summary: 'Explain every row with exact TreeSHAP values (negative = pushes toward anomalous)',
    load: async () => (await import('./explain.js')).explainCommand,
  },
  {
    name: 'merge',
    summary:
      'Merge the output folders of sharded hunts (hunt --model M --shard K/N) into one ranking and one scores.csv',
    load: async () => (await import('./merge.js')).mergeCommand,
  },
  {
    name: 'tune',
    summary: 'Sweep forest settings over seeds: speed, stability and (with a label) ROC AUC and average precision',
    load: async () => (await import('./tune.js')).tuneCommand,
  },
  {
    name: 'synth',
    summary: 'Generate a labelled synthetic tenant: user-days (or raw logon events) with injected attacks',
    load: async () => (await import('./synth.js')).synthCommand,
  },
];
