/**
 * One dataset as a table, read live through its generated GraphQL fields:
 * a filter on one column, sorting by any column, and grouped aggregates. The
 * dataset, filter, sort and grouping live in the URL.
 */
import { useMemo, useState } from "react";
import type { FormEvent } from "react";
import { useQuery } from "urql";
import { DatasetsQuery } from "../api/catalog";
import { aggregateDocument, datasetFieldName, filterInput, isNumeric, orderByInput, rowsDocument } from "../api/datasetQuery";
import type { DatasetColumnInfo } from "../api/datasetQuery";
import { DataTable } from "../components/DataTable";
import { QueryState } from "../components/QueryState";
import { useUrlState } from "../components/useUrlState";
import { useI18n } from "../i18n";

const KEYS = ["dataset", "fcol", "fop", "fval", "sort", "desc", "group"] as const;
type Filters = Record<(typeof KEYS)[number], string>;
const OPERATORS = ["eq", "ne", "contains", "startsWith", "gt", "gte", "lt", "lte"];
const PAGE = 100;

type Row = Record<string, unknown>;
interface Group {
  key: Row;
  count: number;
  sum?: Row;
  avg?: Row;
}

const show = (value: unknown) => (value === null || value === undefined ? "—" : typeof value === "number" ? value.toLocaleString("id-ID", { maximumFractionDigits: 2 }) : String(value));

function FilterForm({ columns, filters, setFilters }: { columns: DatasetColumnInfo[]; filters: Filters; setFilters: (f: Partial<Filters>) => void }) {
  const { t } = useI18n();
  const [draft, setDraft] = useState({ fcol: filters.fcol, fop: filters.fop || "eq", fval: filters.fval });

  function submit(event: FormEvent) {
    event.preventDefault();
    setFilters(draft);
  }

  return (
    <form className="filters" onSubmit={submit} aria-label={t("table.filter")}>
      <label>
        {t("table.column")}
        <select name="fcol" value={draft.fcol} onChange={(event) => setDraft({ ...draft, fcol: event.target.value })}>
          <option value="">—</option>
          {columns.map((c) => (
            <option key={c.name}>{c.name}</option>
          ))}
        </select>
      </label>
      <label>
        {t("table.operator")}
        <select name="fop" value={draft.fop} onChange={(event) => setDraft({ ...draft, fop: event.target.value })}>
          {OPERATORS.map((op) => (
            <option key={op}>{op}</option>
          ))}
        </select>
      </label>
      <label>
        {t("table.value")}
        <input name="fval" value={draft.fval} onChange={(event) => setDraft({ ...draft, fval: event.target.value })} />
      </label>
      <button type="submit" className="primary">
        {t("filter.apply")}
      </button>
      <label>
        {t("table.groupBy")}
        <select name="group" value={filters.group} onChange={(event) => setFilters({ group: event.target.value })}>
          <option value="">—</option>
          {columns.map((c) => (
            <option key={c.name}>{c.name}</option>
          ))}
        </select>
      </label>
    </form>
  );
}

function Rows({ field, columns, filters, setFilters }: { field: string; columns: DatasetColumnInfo[]; filters: Filters; setFilters: (f: Partial<Filters>) => void }) {
  const { t, formatNumber } = useI18n();
  const filter = filterInput(columns, { column: filters.fcol, operator: filters.fop || "eq", value: filters.fval });
  const sort = { column: filters.sort, descending: filters.desc === "1" };
  const query = useMemo(() => rowsDocument({ field, columns, first: PAGE }), [field, columns]);
  const [result, reexecute] = useQuery<{ rows: { totalCount: number; nodes: Row[] } }>({
    query,
    variables: { filter, orderBy: orderByInput(sort), first: PAGE },
  });

  return (
    <QueryState fetching={result.fetching} error={result.error} data={result.data} isEmpty={(d) => d.rows.nodes.length === 0} onRetry={() => reexecute({ requestPolicy: "network-only" })}>
      {(data) => (
        <>
          <p role="status" data-testid="row-count">
            {t("table.rowsShown", { shown: data.rows.nodes.length, total: formatNumber(data.rows.totalCount) })}
          </p>
          <DataTable
            caption={field}
            rows={data.rows.nodes}
            rowKey={(row) => JSON.stringify(row)}
            sort={{ key: sort.column, descending: sort.descending }}
            onSort={(next) => setFilters({ sort: next.key, desc: next.descending ? "1" : "" })}
            columns={columns.map((c) => ({ key: c.name, header: c.name, render: (row: Row) => show(row[c.name]), numeric: isNumeric(c), sortable: true }))}
          />
        </>
      )}
    </QueryState>
  );
}

function Groups({ field, columns, filters }: { field: string; columns: DatasetColumnInfo[]; filters: Filters }) {
  const { t } = useI18n();
  const filter = filterInput(columns, { column: filters.fcol, operator: filters.fop || "eq", value: filters.fval });
  const query = useMemo(() => aggregateDocument({ field, columns, groupBy: filters.group, first: PAGE }), [field, columns, filters.group]);
  const [result, reexecute] = useQuery<{ groups: Group[] }>({ query, variables: { filter, groupBy: [filters.group] } });
  const numeric = columns.filter(isNumeric);

  return (
    <QueryState fetching={result.fetching} error={result.error} data={result.data} isEmpty={(d) => d.groups.length === 0} onRetry={() => reexecute({ requestPolicy: "network-only" })}>
      {(data) => (
        <DataTable
          caption={`${field} · ${filters.group}`}
          rows={[...data.groups].sort((a, b) => b.count - a.count)}
          rowKey={(group) => JSON.stringify(group.key)}
          columns={[
            { key: "key", header: filters.group, render: (g: Group) => show(g.key[filters.group]) },
            { key: "count", header: t("table.count"), render: (g: Group) => show(g.count), numeric: true },
            ...numeric.flatMap((c) => [
              { key: `sum-${c.name}`, header: `Σ ${c.name}`, render: (g: Group) => show(g.sum?.[c.name]), numeric: true },
              { key: `avg-${c.name}`, header: `⌀ ${c.name}`, render: (g: Group) => show(g.avg?.[c.name]), numeric: true },
            ]),
          ]}
        />
      )}
    </QueryState>
  );
}

export function DatasetTable() {
  const { t } = useI18n();
  const [filters, setFilters] = useUrlState(KEYS);
  const [catalog, reexecute] = useQuery({ query: DatasetsQuery, variables: {} });

  return (
    <QueryState fetching={catalog.fetching} error={catalog.error} data={catalog.data} isEmpty={(d) => d.datasets.items.length === 0} onRetry={() => reexecute({ requestPolicy: "network-only" })}>
      {(data) => {
        const dataset = data.datasets.items.find((d) => String(d.id) === filters.dataset) ?? data.datasets.items[0];
        const field = datasetFieldName(dataset.source, dataset.name);
        const columns = dataset.columns.map((c) => ({ name: c.name, dataType: c.dataType }));
        return (
          <>
            <div className="filters">
              <label>
                {t("table.dataset")}
                <select name="dataset" value={String(dataset.id)} onChange={(event) => setFilters({ dataset: event.target.value, fcol: "", fval: "", sort: "", desc: "", group: "" })}>
                  {data.datasets.items.map((d) => (
                    <option key={d.id} value={d.id}>
                      {d.title} ({d.agency})
                    </option>
                  ))}
                </select>
              </label>
            </div>
            <FilterForm key={`${dataset.id}/${filters.fcol}/${filters.fval}`} columns={columns} filters={filters} setFilters={setFilters} />
            {filters.group ? <Groups field={field} columns={columns} filters={filters} /> : <Rows field={field} columns={columns} filters={filters} setFilters={setFilters} />}
          </>
        );
      }}
    </QueryState>
  );
}
