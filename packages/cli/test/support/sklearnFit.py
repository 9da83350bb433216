"""Fits scikit-learn's IsolationForest on a CSV and writes, for the test of tools/export_sklearn.py:
model.json (the export), forest.joblib (the same forest, for the exporter's command line) and expected.json
(scikit-learn's own score_samples, decision_function and predict, floats as Python's exact repr).

Usage: sklearnFit.py TOOLS_DIR X.csv OUT_DIR PARAMS_JSON
"""

import json
import sys

import joblib
import numpy
import sklearn
from sklearn.ensemble import IsolationForest

tools, csv_path, out, params = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
sys.path.insert(0, tools)
from export_sklearn import write_isolation_forest  # noqa: E402

with open(csv_path, encoding="utf-8") as f:
    names = f.readline().strip().split(",")
X = numpy.loadtxt(csv_path, delimiter=",", skiprows=1, dtype=numpy.float64)

forest = IsolationForest(**params).fit(X)
write_isolation_forest(forest, f"{out}/model.json", names)
joblib.dump(forest, f"{out}/forest.joblib")
with open(f"{out}/expected.json", "w", encoding="utf-8") as f:
    json.dump(
        {
            "sklearn": sklearn.__version__,
            "score_samples": forest.score_samples(X).tolist(),
            "decision_function": forest.decision_function(X).tolist(),
            "predict": forest.predict(X).tolist(),
        },
        f,
    )
