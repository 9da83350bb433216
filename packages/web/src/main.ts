import { loadIsoforest } from "@isoforest/core";
import { huntUserDays } from "@isoforest/hunt";
import { showResults } from "./resultsView.js";
import { threadCount } from "./threadCount.js";
import { readUserDayTable } from "./userDayTable.js";

/**
 * The page's controller. `<body data-state>` is idle, working, done or error, so a person (by its styling) and a
 * test can tell where the page is; `<body data-threads>` is the number of threads the last hunt scored and explained
 * on. Nothing is uploaded: the file is read with the File API and processed here.
 */
const body = document.body;
const status = document.getElementById("status")!;
const input = document.getElementById("file-input") as HTMLInputElement;
const drop = document.getElementById("drop-zone")!;

function setState(state: "working" | "done" | "error", message: string): void {
  body.dataset.state = state;
  status.textContent = message;
}

/** Yields to the browser so the status text paints before a long synchronous step. */
const nextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

async function run(file: File): Promise<void> {
  try {
    const threads = threadCount(location.search, navigator.hardwareConcurrency);
    setState("working", `Reading ${file.name} ...`);
    const bytes = new Uint8Array(await file.arrayBuffer());
    const { table, stats } = await readUserDayTable(bytes, file.name);
    const isoforest = await loadIsoforest();
    setState("working", `Fitting the forest on ${stats.rowsKept.toLocaleString("en-US")} user-days ...`);
    await nextFrame();
    const started = performance.now();
    // Scores and explanations: in this thread for 1, else on that many Web Workers, each fetching the wasm by URL
    // (Vite bundles the core's worker entry); the hunt terminates them before it returns.
    const result = await huntUserDays(isoforest, table, { threads });
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    showResults(result, file.name);
    body.dataset.threads = String(threads);
    const outliers = result.counts.outliers;
    const on = threads === 1 ? "in this thread" : `on ${threads} threads`;
    setState(
      "done",
      `Done in ${seconds} s ${on}: ${outliers} outlier${outliers === 1 ? "" : "s"} among ${result.ranking.length.toLocaleString("en-US")} user-days.`,
    );
  } catch (error) {
    document.getElementById("results")!.hidden = true;
    setState("error", error instanceof Error ? error.message : String(error));
  }
}

input.addEventListener("change", () => {
  const file = input.files?.[0];
  if (file) void run(file);
});

for (const type of ["dragenter", "dragover"] as const) {
  drop.addEventListener(type, (e) => {
    e.preventDefault();
    drop.classList.add("over");
  });
}
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (e) => {
  e.preventDefault();
  drop.classList.remove("over");
  const file = e.dataTransfer?.files[0];
  if (file) void run(file);
});
