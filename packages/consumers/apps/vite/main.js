// A web page embedding the core through Vite: fit, score and explain in the page, from the installed tarballs.
// The result (or the error) goes into #result, and `data-done` tells the test it is there.
import { tableFromArrays } from 'apache-arrow';
import { createParallelModel, loadIsoforest } from '@isoforest/core';

const result = document.getElementById('result');
try {
  const rows = 301;
  const a = Float64Array.from({ length: rows }, (_, i) => (i === 300 ? 50 : i % 20));
  const b = Float64Array.from({ length: rows }, (_, i) => (i === 300 ? -50 : Math.floor(i / 20)));
  const table = tableFromArrays({ a, b });
  const isoforest = await loadIsoforest();
  const model = isoforest.fit(table, { nEstimators: 30, randomState: 3 });
  const { score, meanPathLength } = model.score(table);
  const explanation = model.explain(table);
  let top = 0;
  for (let i = 1; i < rows; i++) if (score[i] > score[top]) top = i;
  // Two threads on the default workers (module workers from the core's script URL, bundled by Vite): same scores.
  const parallel = await createParallelModel(model, { threads: 2 });
  let threadsAgree;
  try {
    const threaded = await parallel.score(table);
    threadsAgree = threaded.score.every((value, i) => value === score[i]);
  } finally {
    await parallel.close();
  }
  const shapSum = explanation.values[0][top] + explanation.values[1][top];
  result.textContent = JSON.stringify({
    top,
    additivityError: Math.abs(shapSum - (meanPathLength[top] - explanation.expectedValue)),
    reloaded: isoforest.load(model.save()).score(table).score[top] === score[top],
    threadsAgree,
  });
} catch (error) {
  result.textContent = `error: ${error instanceof Error ? error.message : String(error)}`;
}
result.dataset.done = 'true';
