/**
 * The core and the reference each declare the flat forest and the engine's inputs, so that the reference, the
 * oracle the core is tested against, imports nothing from the core. This test holds each pair of declarations to one
 * type: it type-checks a module asserting each pair identical under TypeScript's identity relation (same fields, same
 * types, same `readonly` modifiers), plus two pairs that differ in one field or one modifier and so must be rejected,
 * which shows the check bites.
 */
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/** A module that exists only in memory, next to this file, so its relative imports resolve like the tests'. */
const CHECK_FILE = fileURLToPath(new URL('./contracts.check.ts', import.meta.url));

const CHECK_SOURCE = `
import type { FlatForest } from '../src/forest.js';
import type { Float32Columns, TreeGrowth } from '../src/engine.js';
import type * as reference from '../../reference/src/forest.js';

/** true when A and B are the identical type, false otherwise (assignability alone would miss readonly). */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

export const identical: [
  Same<FlatForest, reference.FlatForest>,
  Same<Float32Columns, reference.Columns>,
  Same<TreeGrowth, reference.Growth>,
] = [true, true, true];

// @ts-expect-error a forest without values is another type
export const missingField: Same<FlatForest, Omit<reference.FlatForest, 'value'>> = true;
// @ts-expect-error a mutable field is another type
export const mutableField: Same<FlatForest, { -readonly [K in keyof reference.FlatForest]: reference.FlatForest[K] }> = true;
`;

/** The type errors of CHECK_SOURCE, one line each ("" when it type-checks). */
function typeErrors(): string[] {
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2022.d.ts'],
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, language, ...rest) =>
    name === CHECK_FILE
      ? ts.createSourceFile(name, CHECK_SOURCE, language)
      : getSourceFile.call(host, name, language, ...rest);
  host.fileExists = (name) => name === CHECK_FILE || fileExists.call(host, name);
  host.readFile = (name) => (name === CHECK_FILE ? CHECK_SOURCE : readFile.call(host, name));
  const program = ts.createProgram([CHECK_FILE], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where =
      d.file && d.start !== undefined
        ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: `
        : '';
    return where + ts.flattenDiagnosticMessageText(d.messageText, ' ');
  });
}

describe('shared contracts', () => {
  it("declares FlatForest, the engine's columns and its growth parameters identically in the core and the reference", () => {
    expect(typeErrors()).toEqual([]);
  });
});
