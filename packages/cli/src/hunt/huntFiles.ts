import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeVector, Table, type Vector } from 'apache-arrow';
import type { ModelScores } from '@isoforest/core';
import type { HuntResult } from '@isoforest/hunt';
import { writeCsv } from '@isoforest/ingest';
import { renderHuntReport, type HuntReport } from '@isoforest/report';
import { takeRows } from '../io/takeRows.js';

/** The files a hunt writes into its output folder. */
export const HUNT_FILES = {
  report: 'report.html',
  scores: 'scores.csv',
  outliers: 'outliers.csv',
} as const;

/**
 * The files of one hunt: every scored user-day with its scores (`scores.csv`), the flagged result rows ranked with
 * their SHAP values (`outliers.csv`) and the report. `scores.csv` can be started as soon as the rows are scored
 * (`writeScores`, from the hunt's `onScored`), so that it is written while the explanations are computed;
 * `finish` writes the rest, all at once, and waits for everything.
 */
export class HuntFiles {
  private readonly paths;
  private folder: Promise<unknown> | undefined;
  private scoresWritten: Promise<number> | undefined;

  constructor(private readonly dir: string) {
    this.paths = {
      report: join(dir, HUNT_FILES.report),
      scores: join(dir, HUNT_FILES.scores),
      outliers: join(dir, HUNT_FILES.outliers),
    };
  }

  /** The output folder, made on first use (not before the hunt has results to write). */
  private ready(): Promise<unknown> {
    this.folder ??= mkdir(this.dir, { recursive: true });
    return this.folder;
  }

  /** Starts writing `scores.csv`; a failure is reported by `finish`. */
  writeScores(featureTable: Table, scores: ModelScores): void {
    this.scoresWritten = this.ready().then(() => writeCsv(this.paths.scores, scoredTable(featureTable, scores)));
    this.scoresWritten.catch(() => {});
  }

  /** Writes whatever is not written yet and resolves with the paths of all the files once they are complete. */
  async finish(result: HuntResult, report: HuntReport): Promise<string[]> {
    await this.ready();
    if (this.scoresWritten === undefined) this.writeScores(result.featureTable, result.scores);
    const scored = scoredTable(result.featureTable, result.scores);
    const flagged = result.ranking.filter((row) => result.scores.predict[row] === -1);
    await Promise.all([
      writeFile(this.paths.report, renderHuntReport(report)),
      writeCsv(this.paths.outliers, selectRows(scored, flagged, result)),
      this.scoresWritten,
    ]);
    return Object.values(this.paths);
  }
}

/** The user-days with their features, then the four score columns. */
function scoredTable(featureTable: Table, scores: ModelScores): Table {
  return featureTable.assign(
    new Table({
      score_samples: makeVector(scores.scoreSamples),
      decision_function: makeVector(scores.decisionFunction),
      predict: makeVector(scores.predict),
      score: makeVector(scores.score),
    }),
  );
}

/** `rows` of `table` in the given order (types kept), with the hunt's SHAP columns appended. */
function selectRows(table: Table, rows: Int32Array, result: HuntResult): Table {
  const shap: Record<string, Vector> = {};
  result.model.featureNames.forEach((name, c) => {
    shap[`shap_${name}`] = makeVector(Float64Array.from(rows, (row) => result.shap[c][row]));
  });
  return takeRows(table, rows).assign(new Table(shap));
}
