#!/usr/bin/env node
// A committed, executable entry point, so that npm can link the bin before the build has run.
import module from 'node:module';

// Node 22.1 and later can keep the compiled code of the command on disk between runs (in the OS's temporary folder;
// NODE_DISABLE_COMPILE_CACHE=1 turns it off); Node 20 has no such function. Enabled before the command loads.
module.enableCompileCache?.();
await import('../dist/bin.js');
