import type { Command } from '../command.js';
import { aggregateCommand } from './aggregate.js';
import { explainCommand } from './explain.js';
import { featuresCommand } from './features.js';
import { fitCommand } from './fit.js';
import { huntCommand } from './hunt.js';
import { investigateCommand } from './investigate.js';
import { publishCommand } from './publish.js';
import { mergeCommand } from './merge.js';
import { queryCommand } from './query.js';
import { scoreCommand } from './score.js';
import { synthCommand } from './synth.js';
import { tuneCommand } from './tune.js';

/** Every `isoforest` command, in the order --help lists them: the whole hunt, then its steps in data-flow order,
 * then the tools for tuning. */
export const COMMANDS: readonly Command[] = [
  huntCommand,
  investigateCommand,
  publishCommand,
  queryCommand,
  aggregateCommand,
  featuresCommand,
  fitCommand,
  scoreCommand,
  explainCommand,
  mergeCommand,
  tuneCommand,
  synthCommand,
];
