import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { IngestError, readAll, readUserDayCsv, USER_DAY_COLUMNS } from "@isoforest/ingest";
import { readUserDayTable } from "../src/userDayTable.js";

const DEMO_CSV = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "fixtures", "demo", "iforest-demo-data.csv");

async function failure(text: string, name: string): Promise<IngestError> {
  try {
    await readUserDayTable(new TextEncoder().encode(text), name);
  } catch (error) {
    expect(error).toBeInstanceOf(IngestError);
    return error as IngestError;
  }
  throw new Error("expected an IngestError");
}

describe("readUserDayTable (the page's reading of a picked file)", () => {
  const text = readFileSync(DEMO_CSV, "utf8");
  const [header, firstRow] = text.split(/\r?\n/);

  it("gives the same table as ingest's Node file reader for the demo data", async () => {
    const expected = await readAll(readUserDayCsv(DEMO_CSV));
    const { table, stats } = await readUserDayTable(readFileSync(DEMO_CSV), "demo.csv");
    expect(stats).toMatchObject({ rowsRead: expected.numRows, rowsKept: expected.numRows, rowsRejected: 0 });
    expect(table.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual(expected.schema.fields.map((f) => `${f.name}:${f.type}`));
    for (const column of USER_DAY_COLUMNS) {
      expect(table.getChild(column.name)!.toArray(), column.name).toEqual(expected.getChild(column.name)!.toArray());
    }
  });

  it("names the file, row and column of a bad cell", async () => {
    const bad = firstRow.replace(/^([^,]*,[^,]*,[^,]*,[^,]*,)238,/, "$1-3,");
    expect(bad).not.toBe(firstRow);
    expect(await failure(`${header}\n${firstRow}\n${bad}\n`, "days.csv")).toMatchObject({ file: "days.csv", row: 3, column: "AttemptedLogons" });
  });

  it("refuses a missing column, a ragged row, a file without data rows and an empty file", async () => {
    expect((await failure(header.replace(",DstUser,", ",User,") + "\n", "a.csv")).message).toBe("a.csv:1: missing column DstUser");
    expect((await failure(`${header}\n1,2\n`, "b.csv")).message).toMatch(/^b\.csv:2: row has 2 fields/);
    expect((await failure(`${header}\n`, "c.csv")).message).toBe("c.csv: no data rows after the header");
    expect((await failure("", "d.csv")).message).toBe("d.csv: empty file: no header line");
  });
});
