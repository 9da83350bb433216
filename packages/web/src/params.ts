import { NOTEBOOK_PARAMETERS, type ExplainScope } from '@isoforest/hunt';
import { MODEL_FEATURES } from '@isoforest/features';

/**
 * The hunt's parameters as the page's controls hold them, and their URL fragment form (`#contamination=0.05&...`),
 * so that a link restores them. Empty `trees` means the notebook's rule; `features` empty means the notebook's six.
 */
export interface HuntParams {
  /** A share in (0, 0.5], or "auto" (scikit-learn's fixed offset). */
  readonly contamination: number | 'auto';
  /** Trees, or null for the notebook's rule (24 + 2 x rows below 500 rows, else 100). */
  readonly trees: number | null;
  /** "auto" = min(256, rows), a count (> 1) or a fraction in (0, 1]. */
  readonly maxSamples: number | 'auto';
  /** A count (>= 1, whole) or a fraction in (0, 1]. */
  readonly maxFeatures: number;
  readonly seed: number;
  /** Columns of the feature table the forest uses. */
  readonly features: readonly string[];
  readonly explain: ExplainScope;
}

export const DEFAULT_PARAMS: HuntParams = {
  contamination: NOTEBOOK_PARAMETERS.contamination,
  trees: null,
  maxSamples: NOTEBOOK_PARAMETERS.maxSamples,
  maxFeatures: NOTEBOOK_PARAMETERS.maxFeatures,
  seed: NOTEBOOK_PARAMETERS.seed,
  features: MODEL_FEATURES,
  explain: 'auto',
};

const EXPLAIN_SCOPES: readonly ExplainScope[] = ['auto', 'flagged', 'all'];

/** A parameter value the page cannot use, named with the reason. */
export class ParamsError extends Error {
  override readonly name = 'ParamsError';
}

function number(name: string, text: string, ok: (x: number) => boolean, expected: string): number {
  const x = Number(text);
  if (text.trim() === '' || !Number.isFinite(x) || !ok(x))
    throw new ParamsError(`${name}=${text}: expected ${expected}`);
  return x;
}

/** Checks raw control values (strings, as in the form or the fragment) and returns the parameters. */
export function parseParams(raw: Readonly<Record<string, string | undefined>>): HuntParams {
  const get = (name: string) => raw[name]?.trim();
  const contamination = get('contamination');
  const trees = get('trees');
  const maxSamples = get('maxSamples');
  const maxFeatures = get('maxFeatures');
  const seed = get('seed');
  const features = get('features');
  const explain = get('explain');
  if (explain !== undefined && !EXPLAIN_SCOPES.includes(explain as ExplainScope)) {
    throw new ParamsError(`explain=${explain}: expected ${EXPLAIN_SCOPES.join(', ')}`);
  }
  return {
    contamination:
      contamination === undefined
        ? DEFAULT_PARAMS.contamination
        : contamination === 'auto'
          ? 'auto'
          : number('contamination', contamination, (x) => x > 0 && x <= 0.5, 'a share in (0, 0.5] or auto'),
    trees:
      trees === undefined || trees === ''
        ? null
        : number('trees', trees, (x) => Number.isInteger(x) && x >= 1 && x <= 10_000, 'a whole number from 1 to 10000'),
    maxSamples:
      maxSamples === undefined || maxSamples === 'auto'
        ? 'auto'
        : number(
            'maxSamples',
            maxSamples,
            (x) => (x > 0 && x <= 1) || (Number.isInteger(x) && x > 1),
            'auto, a fraction in (0, 1] or a whole count',
          ),
    maxFeatures:
      maxFeatures === undefined
        ? DEFAULT_PARAMS.maxFeatures
        : number(
            'maxFeatures',
            maxFeatures,
            (x) => (x > 0 && x <= 1) || (Number.isInteger(x) && x > 1),
            'a fraction in (0, 1] or a whole count',
          ),
    seed:
      seed === undefined
        ? DEFAULT_PARAMS.seed
        : number(
            'seed',
            seed,
            (x) => Number.isInteger(x) && x >= 0 && x <= 2 ** 32 - 1,
            'a whole number from 0 to 4294967295',
          ),
    features: features === undefined || features === '' ? DEFAULT_PARAMS.features : features.split(','),
    explain: (explain as ExplainScope | undefined) ?? DEFAULT_PARAMS.explain,
  };
}

/** The parameters as control values (strings), the inverse of `parseParams`. */
export function paramsToRaw(params: HuntParams): Record<string, string> {
  return {
    contamination: String(params.contamination),
    trees: params.trees === null ? '' : String(params.trees),
    maxSamples: String(params.maxSamples),
    maxFeatures: String(params.maxFeatures),
    seed: String(params.seed),
    features: params.features.join(','),
    explain: params.explain,
  };
}

/** The URL fragment (without `#`) that restores `params`: only the values that differ from the defaults. */
export function paramsToFragment(params: HuntParams): string {
  const raw = paramsToRaw(params);
  const defaults = paramsToRaw(DEFAULT_PARAMS);
  const changed = Object.entries(raw).filter(([k, v]) => v !== defaults[k]);
  return new URLSearchParams(changed).toString();
}

/** The parameters a URL fragment (`location.hash`, with or without `#`) names; the defaults for the rest. */
export function paramsFromFragment(hash: string): HuntParams {
  const entries = Object.fromEntries(new URLSearchParams(hash.replace(/^#/, '')));
  return parseParams(entries);
}
