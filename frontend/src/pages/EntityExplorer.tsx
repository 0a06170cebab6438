/**
 * The entity explorer: one entity's attributes, every link touching it with
 * its provenance, and its neighbourhood as a graph. The entity, depth and kind
 * filter live in the URL.
 */
import { useMemo, useState } from "react";
import type { FormEvent } from "react";
import { useQuery } from "urql";
import { EntitiesQuery, EntityLinksQuery } from "../api/entities";
import { EntityNeighbourhoodQuery } from "../api/graph";
import { DataTable } from "../components/DataTable";
import type { Column } from "../components/DataTable";
import { GraphView } from "../components/GraphView";
import { Properties, formatValue } from "../components/Properties";
import { QueryState } from "../components/QueryState";
import { Section } from "../components/Section";
import { useUrlState } from "../components/useUrlState";
import type { EntityNeighbourhoodQuery as Result } from "../gql/graphql";
import { useI18n } from "../i18n";
import type { MessageKey } from "../i18n";

type Node = NonNullable<Result["graphNode"]>;
type Neighbourhood = Node["neighbours"];

export const KINDS = ["organisation", "place", "person", "product", "topic"] as const;

interface LinkRow {
  id: string;
  type: string;
  outgoing: boolean;
  other: Neighbourhood["nodes"][number] | undefined;
  otherId: string;
  properties: unknown;
}

export function linkRows(focusId: string, neighbourhood: Neighbourhood): LinkRow[] {
  const byId = new Map(neighbourhood.nodes.map((node) => [node.id, node]));
  return neighbourhood.edges
    .filter((edge) => edge.sourceId === focusId || edge.targetId === focusId)
    .map((edge) => {
      const outgoing = edge.sourceId === focusId;
      const otherId = outgoing ? edge.targetId : edge.sourceId;
      return { id: edge.id, type: edge.type, outgoing, other: byId.get(otherId), otherId, properties: edge.properties };
    });
}

/** Keeps the focus node and the neighbours of one kind, with the edges among them. */
export function filterByKind(focusId: string, neighbourhood: Neighbourhood, kind: string): Neighbourhood {
  if (!kind) return neighbourhood;
  const nodes = neighbourhood.nodes.filter((node) => node.id === focusId || node.kind === kind);
  const kept = new Set(nodes.map((node) => node.id));
  const edges = neighbourhood.edges.filter((edge) => kept.has(edge.sourceId) && kept.has(edge.targetId));
  return { nodes, edges };
}

function EntityPicker({ initial, onSearch }: { initial: string; onSearch: (text: string) => void }) {
  const { t } = useI18n();
  const [value, setValue] = useState(initial);

  function submit(event: FormEvent) {
    event.preventDefault();
    onSearch(value.trim());
  }

  return (
    <form className="filters" onSubmit={submit} role="search">
      <label>
        {t("entity.search")}
        <input type="search" value={value} onChange={(event) => setValue(event.target.value)} name="q" placeholder="Teh Poci, Slawi, place:33.28" />
      </label>
      <button type="submit" className="primary">
        {t("entity.open")}
      </button>
    </form>
  );
}

function SearchResults({ search, kind, onOpen }: { search: string; kind: string; onOpen: (id: string) => void }) {
  const { t } = useI18n();
  const [result, reexecute] = useQuery({ query: EntitiesQuery, variables: { search, kind: kind || null }, pause: !search && !kind });
  if (!search && !kind) return null;
  return (
    <Section title={t("entity.searchResults")} wide>
      <QueryState fetching={result.fetching} error={result.error} data={result.data} isEmpty={(d) => d.entities.items.length === 0} onRetry={() => reexecute({ requestPolicy: "network-only" })}>
        {(data) => (
          <ul className="region-list" data-testid="entity-results">
            {data.entities.items.map((entity) => (
              <li key={entity.id}>
                <button type="button" className="link" onClick={() => onOpen(entity.id)}>
                  {entity.name}
                </button>{" "}
                <span className="meta">{entity.kind}</span>
              </li>
            ))}
          </ul>
        )}
      </QueryState>
    </Section>
  );
}

interface RecordLink {
  id: string;
  recordId: string;
  source: string;
  dataset: string;
  method: string;
  modelVersion: string;
  score?: number | null;
  evidence: unknown;
  status: string;
  decidedBy: string;
  decidedAt: string;
  record: { found: boolean; row?: unknown; error?: string | null };
}

function LinkedRecords({ id }: { id: string }) {
  const { t } = useI18n();
  const [result, reexecute] = useQuery({ query: EntityLinksQuery, variables: { id }, requestPolicy: "network-only" });
  const columns: Column<RecordLink>[] = [
    { key: "record", header: t("entity.record"), render: (l) => <code>{l.source}/{l.dataset}</code> },
    { key: "row", header: t("entity.row"), render: (l) => (l.record.found ? formatValue(l.record.row) : l.record.error ?? "—") },
    { key: "status", header: t("entity.status"), render: (l) => <span className="badge">{l.status}</span> },
    { key: "provenance", header: t("entity.provenance"), render: (l) => `${l.method} · ${l.score == null ? "—" : l.score.toFixed(3)} · ${l.decidedBy} · ${l.decidedAt.slice(0, 19)}` },
  ];
  return (
    <QueryState fetching={result.fetching} error={result.error} data={result.data} isEmpty={(d) => !d.entity || d.entity.links.length === 0} onRetry={() => reexecute({ requestPolicy: "network-only" })}>
      {(data) => (
        <div data-testid="entity-records">
          <DataTable caption={t("entity.records")} columns={columns} rows={data.entity?.links ?? []} rowKey={(l) => l.id} />
        </div>
      )}
    </QueryState>
  );
}

function EntityDetail({ node, kind, onOpen }: { node: Node; kind: string; onOpen: (id: string) => void }) {
  const { t } = useI18n();
  const shown = useMemo(() => filterByKind(node.id, node.neighbours, kind), [node, kind]);
  const rows = useMemo(() => linkRows(node.id, shown), [node.id, shown]);

  const columns: Column<LinkRow>[] = [
    { key: "type", header: t("entity.relation"), render: (row) => <span className="badge">{row.type}</span> },
    { key: "direction", header: t("entity.direction"), render: (row) => t(row.outgoing ? "entity.outgoing" : "entity.incoming") },
    {
      key: "other",
      header: t("entity.other"),
      render: (row) => (
        <button type="button" className="link" onClick={() => onOpen(row.otherId)}>
          {row.other?.name ?? row.otherId}
        </button>
      ),
    },
    { key: "kind", header: t("entity.kind"), render: (row) => row.other?.kind ?? row.other?.label ?? "—" },
    {
      key: "provenance",
      header: t("entity.provenance"),
      render: (row) => formatValue(row.properties) === "{}" ? "—" : formatValue(row.properties),
    },
  ];

  return (
    <div className="grid">
      <Section title={node.name}>
        <p>
          <span className="badge">{node.kind ?? node.label}</span> <code>{node.id}</code>
        </p>
        <Properties values={node.properties} label={t("entity.properties")} />
      </Section>
      <Section title={t("entity.graph")}>
        <GraphView
          nodes={shown.nodes}
          edges={shown.edges}
          focusId={node.id}
          onSelect={onOpen}
          label={t("entity.graphLabel", { name: node.name, nodes: shown.nodes.length, edges: shown.edges.length })}
        />
      </Section>
      <Section title={t("entity.records")} wide>
        <LinkedRecords id={node.id} />
      </Section>
      <Section title={t("entity.links")} wide>
        {rows.length === 0 ? (
          <p className="state state-empty">{t("state.empty")}</p>
        ) : (
          <DataTable caption={t("entity.links")} columns={columns} rows={rows} rowKey={(row) => row.id} />
        )}
      </Section>
    </div>
  );
}

export function EntityExplorer() {
  const { t } = useI18n();
  const [filters, setFilters] = useUrlState(["entity", "depth", "kind", "q"] as const);
  const depth = Number(filters.depth) || 1;
  const [result, reexecute] = useQuery({
    query: EntityNeighbourhoodQuery,
    variables: { id: filters.entity, depth },
    pause: !filters.entity,
  });
  const open = (id: string) => setFilters({ entity: id });

  return (
    <div>
      <EntityPicker key={filters.q} initial={filters.q} onSearch={(text) => (/^[a-z]+:/.test(text) ? setFilters({ entity: text }) : setFilters({ q: text }))} />
      <div className="filters">
        <label>
          {t("entity.kind")}
          <select value={filters.kind} onChange={(event) => setFilters({ kind: event.target.value })} name="kind">
            <option value="">{t("entity.allKinds")}</option>
            {KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {t(`kind.${kind}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("entity.depth")}
          <select value={String(depth)} onChange={(event) => setFilters({ depth: event.target.value })} name="depth">
            {[1, 2, 3].map((value) => (
              <option key={value} value={value}>
                {value}
              </option>
            ))}
          </select>
        </label>
      </div>
      <SearchResults search={filters.q} kind={filters.kind} onOpen={open} />
      {filters.entity && (
        <QueryState fetching={result.fetching} error={result.error} data={result.data} onRetry={() => reexecute({ requestPolicy: "network-only" })}>
          {(data) =>
            data.graphNode ? (
              <EntityDetail node={data.graphNode} kind={filters.kind} onOpen={open} />
            ) : (
              <p className="state state-empty" role="status">
                {t("entity.notFound", { id: filters.entity })}
              </p>
            )
          }
        </QueryState>
      )}
    </div>
  );
}
