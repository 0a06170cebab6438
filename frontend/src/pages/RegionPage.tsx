/**
 * One region with its social, market and agency figures side by side. Until
 * `region(code:)` is in the schema the region is read from the knowledge graph,
 * where places are entities with the id `place:<Kemendagri code>`.
 */
import { useMemo, useState } from "react";
import type { FormEvent } from "react";
import { Link, createSearchParams } from "react-router";
import { useQuery } from "urql";
import { EntityNeighbourhoodQuery } from "../api/graph";
import { DataTable } from "../components/DataTable";
import type { Column } from "../components/DataTable";
import { Properties } from "../components/Properties";
import { QueryState, Unavailable } from "../components/QueryState";
import { Section } from "../components/Section";
import { useUrlState } from "../components/useUrlState";
import type { EntityNeighbourhoodQuery as Result } from "../gql/graphql";
import { useI18n } from "../i18n";

type Node = NonNullable<Result["graphNode"]>;
type Neighbour = Node["neighbours"]["nodes"][number];

const DEFAULT_REGION = "33.28";

export function locatedIn(node: Node): Neighbour[] {
  const inside = new Set(node.neighbours.edges.filter((e) => e.type === "LOCATED_IN" && e.targetId === node.id).map((e) => e.sourceId));
  return node.neighbours.nodes.filter((n) => inside.has(n.id));
}

function entityLink(id: string) {
  return `/bigone?${createSearchParams({ tab: "entities", entity: id })}`;
}

function RegionDetail({ node }: { node: Node }) {
  const { t } = useI18n();
  const inside = useMemo(() => locatedIn(node), [node]);
  const places = inside.filter((n) => n.kind === "place");
  const others = inside.filter((n) => n.kind !== "place");
  const columns: Column<Neighbour>[] = [
    { key: "name", header: t("entity.other"), render: (n) => <Link to={entityLink(n.id)}>{n.name}</Link> },
    { key: "kind", header: t("entity.kind"), render: (n) => n.kind ?? n.label },
  ];

  return (
    <>
      <Section title={node.name} wide>
        <Properties values={node.properties} label={t("entity.properties")} />
      </Section>
      <div className="columns-3">
        <Section title={t("region.social")}>
          <Unavailable field="socialTrends" />
        </Section>
        <Section title={t("region.market")}>
          <Unavailable field="topSellers" />
        </Section>
        <Section title={t("region.agency")}>
          {others.length === 0 ? (
            <p className="state state-empty">{t("state.empty")}</p>
          ) : (
            <DataTable caption={t("region.located")} columns={columns} rows={others} rowKey={(n) => n.id} />
          )}
        </Section>
      </div>
      <Section title={t("region.children")} wide>
        {places.length === 0 ? (
          <p className="state state-empty">{t("state.empty")}</p>
        ) : (
          <ul className="region-list">
            {places.map((place) => (
              <li key={place.id}>
                <Link to={`/region?${createSearchParams({ code: String((place.properties as { code?: string })?.code ?? "") })}`}>{place.name}</Link>
              </li>
            ))}
          </ul>
        )}
      </Section>
    </>
  );
}

export function RegionPage() {
  const { t } = useI18n();
  const [filters, setFilters] = useUrlState(["code"] as const);
  const code = filters.code || DEFAULT_REGION;
  const [draft, setDraft] = useState(code);
  const [result, reexecute] = useQuery({ query: EntityNeighbourhoodQuery, variables: { id: `place:${code}`, depth: 1 } });

  function submit(event: FormEvent) {
    event.preventDefault();
    setFilters({ code: draft.trim() });
  }

  return (
    <div className="page">
      <h1>{t("region.title")}</h1>
      <form className="filters" role="search" onSubmit={submit}>
        <label>
          {t("region.code")}
          <input name="code" value={draft} onChange={(event) => setDraft(event.target.value)} />
        </label>
        <button type="submit" className="primary">
          {t("filter.apply")}
        </button>
      </form>
      <QueryState fetching={result.fetching} error={result.error} data={result.data} onRetry={() => reexecute({ requestPolicy: "network-only" })}>
        {(data) =>
          data.graphNode ? (
            <RegionDetail node={data.graphNode} />
          ) : (
            <p className="state state-empty" role="status">
              {t("entity.notFound", { id: code })}
            </p>
          )
        }
      </QueryState>
    </div>
  );
}
