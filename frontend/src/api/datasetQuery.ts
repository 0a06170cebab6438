/**
 * Queries over one dataset's generated GraphQL fields (`<source><Dataset>` and
 * `<source><Dataset>Aggregate`). Those fields exist only on the running server,
 * one pair per configured dataset, so their documents are built here from the
 * catalog's column list rather than generated at build time.
 */

export interface DatasetColumnInfo {
  name: string;
  dataType: string;
}

export interface TableRequest {
  field: string;
  columns: DatasetColumnInfo[];
  filter?: { column: string; operator: string; value: string };
  sort?: { column: string; descending: boolean };
  groupBy?: string;
  first: number;
}

const NUMERIC = new Set(["integer", "decimal", "float"]);
const NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

export function isNumeric(column: DatasetColumnInfo): boolean {
  return NUMERIC.has(column.dataType);
}

/** The server's name for a dataset's field: source and dataset name in camelCase. */
export function datasetFieldName(source: string, dataset: string): string {
  const identifier = `${source}_${dataset}`.replace(/\W+/g, "_").replace(/^_+|_+$/g, "") || "field";
  const pascal = identifier
    .split("_")
    .map((part) => part.slice(0, 1).toUpperCase() + part.slice(1))
    .join("");
  const safe = /^\d/.test(pascal) ? `_${pascal}` : pascal;
  return safe.slice(0, 1).toLowerCase() + safe.slice(1);
}

function checkName(name: string): string {
  if (!NAME.test(name)) throw new Error(`not a GraphQL name: ${name}`);
  return name;
}

/** The filter input for one condition, the value typed as its column. */
export function filterInput(columns: DatasetColumnInfo[], filter: TableRequest["filter"]): Record<string, unknown> | null {
  if (!filter || !filter.column || filter.value === "") return null;
  const column = columns.find((c) => c.name === filter.column);
  if (!column) return null;
  const value = isNumeric(column) ? Number(filter.value) : filter.value;
  if (typeof value === "number" && Number.isNaN(value)) return null;
  return { [column.name]: { [filter.operator]: value } };
}

/** The rows document: a page of rows in the requested order, with the total. */
export function rowsDocument(request: TableRequest): string {
  const field = checkName(request.field);
  const names = request.columns.map((c) => checkName(c.name)).join(" ");
  return `query DatasetRows($filter: ${pascal(field)}Filter, $orderBy: [${pascal(field)}OrderBy!], $first: Int) {
  rows: ${field}(filter: $filter, orderBy: $orderBy, first: $first) { totalCount nodes { ${names} } }
}`;
}

/** The grouped-aggregate document: count, and sum and average of every numeric column. */
export function aggregateDocument(request: TableRequest & { groupBy: string }): string {
  const field = checkName(request.field);
  const numeric = request.columns.filter(isNumeric).map((c) => checkName(c.name));
  const measures = numeric.length ? `sum { ${numeric.join(" ")} } avg { ${numeric.join(" ")} }` : "";
  return `query DatasetGroups($filter: ${pascal(field)}Filter, $groupBy: [${pascal(field)}Column!]) {
  groups: ${field}Aggregate(filter: $filter, groupBy: $groupBy) { key { ${checkName(request.groupBy)} } count ${measures} }
}`;
}

function pascal(field: string): string {
  return field.slice(0, 1).toUpperCase() + field.slice(1);
}

export function orderByInput(sort: TableRequest["sort"]): Record<string, string>[] | null {
  return sort?.column ? [{ column: sort.column, direction: sort.descending ? "DESC" : "ASC" }] : null;
}
