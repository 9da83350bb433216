import type { Command } from '../command.js';
import { explainCommand } from './explain.js';
import { fitCommand } from './fit.js';
import { huntCommand } from './hunt.js';
import { scoreCommand } from './score.js';

/** Every `isoforest` command, in the order --help lists them. */
export const COMMANDS: readonly Command[] = [huntCommand, fitCommand, scoreCommand, explainCommand];
