#!/usr/bin/env node
console.log("isoforest");
