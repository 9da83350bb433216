#!/usr/bin/env python3
"""Write a fitted scikit-learn IsolationForest in the `sklearn-isolation-forest` exchange format, version 1.

isoforest reads the file (`isoforest score --model model.json`, `isoforest explain`, or `importSklearn` of
@isoforest/core) and scores and explains with scikit-learn's own trees, to 1e-12 of `score_samples`. The format is
described field by field in fixtures/golden/README.md; it holds only the public attributes of the fitted estimator.

From Python, after `forest = IsolationForest(...).fit(X)`:

    from export_sklearn import write_isolation_forest
    write_isolation_forest(forest, "model.json")                 # fitted on a DataFrame: its column names
    write_isolation_forest(forest, "model.json", ["a", "b"])     # fitted on an array: name the columns

From a shell, for a forest saved with joblib.dump (loading a pickle runs code: load only files you made):

    python3 tools/export_sklearn.py forest.joblib model.json [--features a,b]

Without names, isoforest names the columns x0, x1, ... as scikit-learn's get_feature_names_out does.
"""

import argparse
import json
import os
import sys
import tempfile

FORMAT = "sklearn-isolation-forest"
VERSION = 1


def isolation_forest_json(forest, feature_names=None):
    """The exchange document of a fitted IsolationForest, as a dict ready for json.dump."""
    names = getattr(forest, "feature_names_in_", None)
    if feature_names is not None:
        names = list(feature_names)
        if len(names) != forest.n_features_in_:
            raise ValueError(f"{len(names)} feature names for a forest of {forest.n_features_in_} features")
    contamination = forest.contamination
    if contamination != "auto":
        contamination = float(contamination)
    return {
        "format": FORMAT,
        "version": VERSION,
        "n_features_in": int(forest.n_features_in_),
        "feature_names": None if names is None else [str(name) for name in names],
        "max_samples": int(forest.max_samples_),
        "offset": float(forest.offset_),
        "contamination": contamination,
        "estimators": [
            {
                "features": [int(f) for f in features],
                "children_left": tree.tree_.children_left.tolist(),
                "children_right": tree.tree_.children_right.tolist(),
                "feature": tree.tree_.feature.tolist(),
                # float64 thresholds; Python's repr (what json writes) round-trips them exactly.
                "threshold": tree.tree_.threshold.tolist(),
                "n_node_samples": tree.tree_.n_node_samples.tolist(),
            }
            for tree, features in zip(forest.estimators_, forest.estimators_features_)
        ],
    }


def write_isolation_forest(forest, path, feature_names=None):
    """Writes the exchange document to `path` atomically: a reader never sees half a model."""
    document = isolation_forest_json(forest, feature_names)
    folder = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".export_sklearn-", suffix=".json")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            # allow_nan=False: JSON has no NaN or Infinity, so a forest holding one is refused, not written broken.
            json.dump(document, out, allow_nan=False, separators=(",", ":"))
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def main(argv):
    parser = argparse.ArgumentParser(description="Export a joblib-saved IsolationForest for isoforest.")
    parser.add_argument("forest", help="a fitted IsolationForest saved with joblib.dump")
    parser.add_argument("output", help="where to write the exchange JSON")
    parser.add_argument("--features", help="comma-separated column names, for a forest fitted on an array")
    args = parser.parse_args(argv)

    import joblib
    from sklearn.ensemble import IsolationForest

    forest = joblib.load(args.forest)
    if not isinstance(forest, IsolationForest):
        parser.error(f"{args.forest} holds a {type(forest).__name__}, not an IsolationForest")
    if not hasattr(forest, "estimators_"):
        parser.error(f"{args.forest} holds an IsolationForest that is not fitted")
    names = None if args.features is None else args.features.split(",")
    try:
        write_isolation_forest(forest, args.output, names)
    except ValueError as error:
        parser.error(str(error))


if __name__ == "__main__":
    main(sys.argv[1:])
