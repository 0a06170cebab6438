import { describe, expect, it } from "vitest";
import { aggregateDocument, datasetFieldName, filterInput, orderByInput, rowsDocument } from "./datasetQuery";

const COLUMNS = [
  { name: "kecamatan", dataType: "text" },
  { name: "tenaga_kerja", dataType: "integer" },
];

describe("datasetFieldName", () => {
  it("names a dataset's field as the server generates it", () => {
    expect(datasetFieldName("files:dinkopukm", "umkm_binaan")).toBe("filesDinkopukmUmkmBinaan");
    expect(datasetFieldName("dinkes", "2024 faskes")).toBe("dinkes2024Faskes");
  });
});

describe("filterInput", () => {
  it("types the value as its column", () => {
    expect(filterInput(COLUMNS, { column: "tenaga_kerja", operator: "gte", value: "10" })).toEqual({ tenaga_kerja: { gte: 10 } });
    expect(filterInput(COLUMNS, { column: "kecamatan", operator: "eq", value: "Slawi" })).toEqual({ kecamatan: { eq: "Slawi" } });
  });

  it("drops a condition without a value, on an unknown column or with a non-number for a number", () => {
    expect(filterInput(COLUMNS, { column: "kecamatan", operator: "eq", value: "" })).toBeNull();
    expect(filterInput(COLUMNS, { column: "nope", operator: "eq", value: "x" })).toBeNull();
    expect(filterInput(COLUMNS, { column: "tenaga_kerja", operator: "eq", value: "banyak" })).toBeNull();
  });
});

describe("documents", () => {
  it("asks for the page of rows with every column and the total", () => {
    const document = rowsDocument({ field: "filesDinkopukmUmkmBinaan", columns: COLUMNS, first: 100 });

    expect(document).toContain("rows: filesDinkopukmUmkmBinaan(filter: $filter, orderBy: $orderBy, first: $first)");
    expect(document).toContain("$filter: FilesDinkopukmUmkmBinaanFilter");
    expect(document).toContain("nodes { kecamatan tenaga_kerja }");
  });

  it("aggregates numeric columns by the group column", () => {
    const document = aggregateDocument({ field: "x", columns: COLUMNS, groupBy: "kecamatan", first: 100 });

    expect(document).toContain("key { kecamatan } count sum { tenaga_kerja } avg { tenaga_kerja }");
  });

  it("refuses a name that could change the document", () => {
    expect(() => rowsDocument({ field: "x", columns: [{ name: "a } evil {", dataType: "text" }], first: 1 })).toThrow(/not a GraphQL name/);
  });

  it("orders by one column either way", () => {
    expect(orderByInput({ column: "kecamatan", descending: true })).toEqual([{ column: "kecamatan", direction: "DESC" }]);
    expect(orderByInput({ column: "", descending: false })).toBeNull();
  });
});
