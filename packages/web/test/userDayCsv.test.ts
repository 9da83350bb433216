import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { IngestError, readAll, readUserDayCsv, USER_DAY_COLUMNS } from "@isoforest/ingest";
import { csvRecords, CsvSyntaxError } from "../src/csvText.js";
import { parseUserDayCsv } from "../src/userDayCsv.js";

const DEMO_CSV = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "fixtures", "demo", "iforest-demo-data.csv");

describe("csvRecords", () => {
  it("reads quoted commas, doubled quotes, line breaks in quotes, CRLF and a BOM", () => {
    const text = '\ufeffa,b,c\r\n1,"x, y","say ""hi"""\r\n2,"two\nlines",\n\n3,,last';
    expect([...csvRecords(text)]).toEqual([
      { fields: ["a", "b", "c"], line: 1 },
      { fields: ["1", "x, y", 'say "hi"'], line: 2 },
      { fields: ["2", "two\nlines", ""], line: 3 },
      { fields: ["3", "", "last"], line: 6 },
    ]);
  });

  it("names the line of an unclosed quote and of text after a closing quote", () => {
    expect(() => [...csvRecords('a\n"open')]).toThrow(new CsvSyntaxError(2, "a quoted field is never closed"));
    expect(() => [...csvRecords('a\n"x"y')]).toThrow(new CsvSyntaxError(2, "text after the closing quote of a field"));
  });
});

describe("parseUserDayCsv", () => {
  it("gives the same table as ingest's Node reader for the demo data", async () => {
    const expected = await readAll(readUserDayCsv(DEMO_CSV));
    const { table, rowsRead } = parseUserDayCsv(readFileSync(DEMO_CSV, "utf8"), "demo.csv");
    expect(rowsRead).toBe(expected.numRows);
    expect(table.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual(expected.schema.fields.map((f) => `${f.name}:${f.type}`));
    for (const column of USER_DAY_COLUMNS) {
      expect(table.getChild(column.name)!.toArray(), column.name).toEqual(expected.getChild(column.name)!.toArray());
    }
  });

  const header = readFileSync(DEMO_CSV, "utf8").split(/\r?\n/)[0];
  const firstRow = readFileSync(DEMO_CSV, "utf8").split(/\r?\n/)[1];

  it("names the file, row and column of a bad cell", () => {
    const bad = firstRow.replace(/^([^,]*,[^,]*,[^,]*,[^,]*,)238,/, "$1-3,");
    expect(bad).not.toBe(firstRow);
    const error = (() => {
      try {
        parseUserDayCsv(`${header}\n${firstRow}\n${bad}\n`, "days.csv");
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(IngestError);
    expect(error).toMatchObject({ file: "days.csv", row: 3, column: "AttemptedLogons" });
  });

  it("refuses a missing column, a ragged row and a file without data rows", () => {
    expect(() => parseUserDayCsv(header.replace(",DstUser,", ",User,") + "\n", "a.csv")).toThrow("a.csv:1: missing column DstUser");
    expect(() => parseUserDayCsv(`${header}\n1,2\n`, "b.csv")).toThrow(/^b\.csv:2: row has 2 fields/);
    expect(() => parseUserDayCsv(`${header}\n`, "c.csv")).toThrow("c.csv: no data rows after the header");
    expect(() => parseUserDayCsv("", "d.csv")).toThrow("d.csv: empty file: no header line");
  });
});
