/** The catalog: datasets of every source with their Satu Data metadata, searchable. */
import { useState } from "react";
import type { FormEvent } from "react";
import { useQuery } from "urql";
import { DatasetsQuery } from "../api/catalog";
import { QueryState } from "../components/QueryState";
import { useUrlState } from "../components/useUrlState";
import type { DatasetsQuery as Result } from "../gql/graphql";
import { useI18n } from "../i18n";

type Dataset = Result["datasets"]["items"][number];

function DatasetCard({ dataset, onOpen }: { dataset: Dataset; onOpen: (id: number) => void }) {
  const { t, formatNumber, formatDate } = useI18n();
  return (
    <article className="card dataset" aria-labelledby={`dataset-${dataset.id}`}>
      <h3 id={`dataset-${dataset.id}`}>{dataset.title}</h3>
      <p className="meta">
        <span className="badge">{dataset.accessLevel.toLowerCase()}</span> {dataset.agencyName ?? dataset.agency ?? "—"} · {dataset.source}/{dataset.name}
      </p>
      {dataset.description && <p>{dataset.description}</p>}
      <dl className="props">
        <dt>{t("catalog.sector")}</dt>
        <dd>{dataset.sector ?? "—"}</dd>
        <dt>{t("catalog.rows")}</dt>
        <dd>{dataset.rowCount == null ? "—" : formatNumber(dataset.rowCount)}</dd>
        <dt>{t("catalog.frequency")}</dt>
        <dd>{dataset.frequency ?? "—"}</dd>
        <dt>{t("catalog.licence")}</dt>
        <dd>{dataset.licence ?? "—"}</dd>
        <dt>{t("catalog.updated")}</dt>
        <dd>{formatDate(dataset.updatedAt)}</dd>
        <dt>{t("catalog.columns")}</dt>
        <dd>
          {dataset.columns.map((column) => (
            <span key={column.name} className="column-chip" title={column.description || undefined}>
              {column.name} <small>{column.dataType}{column.codeKind ? ` · ${column.codeKind}` : ""}{column.unit ? ` · ${column.unit}` : ""}</small>
            </span>
          ))}
        </dd>
      </dl>
      <button type="button" className="primary" onClick={() => onOpen(dataset.id)}>
        {t("catalog.openTable")}
      </button>
    </article>
  );
}

export function CatalogView() {
  const { t } = useI18n();
  const [filters, setFilters] = useUrlState(["search", "agency", "sector", "tab", "dataset"] as const);
  const [draft, setDraft] = useState(filters.search);
  const [result, reexecute] = useQuery({
    query: DatasetsQuery,
    variables: { search: filters.search || null, agency: filters.agency || null, sector: filters.sector || null },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    setFilters({ search: draft.trim() });
  }

  return (
    <div>
      <form className="filters" role="search" onSubmit={submit}>
        <label>
          {t("catalog.search")}
          <input type="search" name="search" value={draft} onChange={(event) => setDraft(event.target.value)} />
        </label>
        <label>
          {t("catalog.agency")}
          <input name="agency" value={filters.agency} onChange={(event) => setFilters({ agency: event.target.value })} placeholder="dinkes" />
        </label>
        <button type="submit" className="primary">
          {t("filter.apply")}
        </button>
      </form>
      <QueryState fetching={result.fetching} error={result.error} data={result.data} isEmpty={(d) => d.datasets.items.length === 0} onRetry={() => reexecute({ requestPolicy: "network-only" })}>
        {(data) => (
          <div className="grid" data-testid="catalog-results">
            {data.datasets.items.map((dataset) => (
              <DatasetCard key={dataset.id} dataset={dataset} onOpen={(id) => setFilters({ tab: "table", dataset: String(id) })} />
            ))}
          </div>
        )}
      </QueryState>
    </div>
  );
}
