#!/usr/bin/env node
// A committed, executable entry point, so that npm can link the bin before the TypeScript build has run.
import '../dist/bin.js';
