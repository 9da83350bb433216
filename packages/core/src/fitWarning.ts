/**
 * Something `fit` did otherwise than its options asked, as scikit-learn reports it with a `UserWarning`: `fit`
 * returns it on the model (`model.warnings`) so an embedding application can show or log it.
 */
export interface FitWarning {
  /** `"max-samples-capped"`: a `maxSamples` count above the training rows was lowered to the number of rows. */
  readonly code: 'max-samples-capped';
  /** The fit option it concerns. */
  readonly option: 'maxSamples';
  /** One line for a person, in scikit-learn's words. */
  readonly message: string;
}
