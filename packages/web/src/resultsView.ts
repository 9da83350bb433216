import { NOTEBOOK_PARAMETERS, topContributions, userDayView, type HuntResult } from "@isoforest/hunt";

/** Rows the table shows: every outlier, and at least this many. */
export const TABLE_ROWS = 25;

/** An element with text content only: data strings never become markup. */
function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

const round = (x: number) => String(Number(x.toPrecision(4)));

function card(value: number, label: string, alert = false): HTMLElement {
  const c = el("div", alert ? "card alert" : "card");
  c.append(el("div", "value", value.toLocaleString("en-US")), el("div", "label", label));
  return c;
}

function contributionList(result: HuntResult, row: number, explained: boolean): HTMLUListElement {
  const list = el("ul", "contribs");
  const top = topContributions(result, row);
  if (!explained) list.append(el("li", "", "not explained"));
  else if (top.length === 0) list.append(el("li", "", "none"));
  for (const c of top) {
    const li = el("li", "", `${c.text} `);
    li.dataset.feature = c.feature;
    li.title = `${c.feature}: SHAP ${c.shap} (path-length units)`;
    li.append(el("span", "neg", round(c.shap)));
    list.append(li);
  }
  return list;
}

function tableRow(result: HuntResult, row: number, rank: number): HTMLTableRowElement {
  const day = userDayView(result, row);
  const tr = el("tr", day.anomaly ? "outlier" : "inlier");
  const anomaly = el("td", "");
  anomaly.append(el("span", day.anomaly ? "flag yes" : "flag no", day.anomaly ? "outlier" : "inlier"));
  const contributions = el("td", "");
  contributions.append(contributionList(result, row, day.shap !== undefined));
  const score = el("td", "num", day.score.toFixed(4));
  score.title = `score ${day.score}`;
  tr.append(
    el("td", "num", String(rank)),
    el("td", "", day.date),
    el("td", "", day.domain),
    el("td", "user", day.user),
    score,
    anomaly,
    contributions,
  );
  return tr;
}

/** Fills the results section from a hunt of the file `fileName`. */
export function showResults(result: HuntResult, fileName: string): void {
  const { counts, model } = result;
  document.getElementById("summary")!.replaceChildren(
    card(counts.rowsIn, "user-days read"),
    card(counts.rowsFiltered, "removed by the filter (no successful logon)"),
    card(result.ranking.length, "user-days ranked"),
    card(counts.outliers, "outliers flagged", counts.outliers > 0),
  );
  document.getElementById("params")!.textContent =
    `${fileName}: ${model.nEstimators} trees, ${model.maxSamples} samples per tree, contamination ` +
    `${NOTEBOOK_PARAMETERS.contamination}, seed ${NOTEBOOK_PARAMETERS.seed}; expected mean path length ` +
    `${round(model.expectedValue)}.`;
  const n = Math.min(result.ranking.length, Math.max(counts.outliers, TABLE_ROWS));
  const rows = Array.from(result.ranking.subarray(0, n), (row, i) => tableRow(result, row, i + 1));
  document.querySelector("#ranked tbody")!.replaceChildren(...rows);
  document.getElementById("results")!.hidden = false;
}
