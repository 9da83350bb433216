// A CommonJS service loading the ES-module packages with `require` (Node >= 20.19 loads ES modules that have no
// top-level await synchronously). On a Node without require(esm), it says so in one line and exits 3.
'use strict';

let core;
try {
  core = require('@isoforest/core');
} catch (error) {
  if (error && (error.code === 'ERR_REQUIRE_ESM' || error.code === 'ERR_REQUIRE_ASYNC_MODULE')) {
    console.error(`@isoforest/core is an ES module; this Node (${process.version}) cannot require() it: use import()`);
    process.exit(3);
  }
  throw error;
}
const { tableFromArrays } = require('apache-arrow');

core.loadIsoforest().then((isoforest) => {
  const x = Float64Array.from({ length: 300 }, (_, i) => (i === 299 ? 100 : i % 17));
  const model = isoforest.fit(tableFromArrays({ x }), { nEstimators: 20, randomState: 1 });
  const { score } = model.score({ x });
  console.log(JSON.stringify({ node: process.versions.node, top: score.indexOf(Math.max(...score)) }));
});
