// ml-isolation-forest 0.1.0 ships JavaScript only; these are the parts of its API the comparison calls, as its
// source (src/IsolationForest.js) defines them.
declare module 'ml-isolation-forest' {
  export interface IsolationForestOptions {
    /** Trees in the forest (default 100). */
    nEstimators?: number;
  }

  export class IsolationForest {
    constructor(options?: IsolationForestOptions);
    /** Grows every tree on all of `trainingSet` (one array of feature values per row). */
    train(trainingSet: number[][]): void;
    /** One anomaly score in (0, 1] per row, `2^(-mean path length / c(n))`: larger = more anomalous. */
    predict(data: number[][]): number[];
  }
}
