/**
 * One region with its social, market and agency figures side by side: posts
 * naming it, its local shops and staple prices, the agencies and businesses the
 * knowledge graph locates in it, and its master data from the Kemendagri codes.
 */
import { useMemo, useState } from "react";
import type { FormEvent } from "react";
import { Link, createSearchParams } from "react-router";
import { useQuery } from "urql";
import { RegionQuery } from "../api/catalog";
import { EntityNeighbourhoodQuery } from "../api/graph";
import { RegionMarketQuery } from "../api/market";
import { RegionSocialQuery } from "../api/social";
import { DataTable } from "../components/DataTable";
import type { Column } from "../components/DataTable";
import { Properties } from "../components/Properties";
import { QueryState } from "../components/QueryState";
import { Section } from "../components/Section";
import { useUrlState } from "../components/useUrlState";
import type { EntityNeighbourhoodQuery as Result } from "../gql/graphql";
import { useI18n } from "../i18n";
import type { MessageKey } from "../i18n";
import { ChangeCell } from "./MarketPage";

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

/** The name people write: "Kabupaten Tegal" is written "Tegal". */
export function spokenName(name: string): string {
  return name.replace(/^(Kabupaten|Kota|Kecamatan|Desa|Kelurahan)\s+/i, "");
}

function RegionSocial({ name }: { name: string }) {
  const { t, formatNumber, formatDate } = useI18n();
  const [result, reexecute] = useQuery({ query: RegionSocialQuery, variables: { filter: { text: spokenName(name).toLowerCase() } } });
  return (
    <QueryState fetching={result.fetching} error={result.error} data={result.data} onRetry={() => reexecute({ requestPolicy: "network-only" })}>
      {(data) => (
        <>
          <div className="figure" data-testid="region-posts">
            <span className="figure-value">{formatNumber(data.posts.total)}</span>
            <span className="figure-label">{t("region.posts")}</span>
          </div>
          <h3>{t("region.topIssues")}</h3>
          <ol>
            {data.issueBreakdown.slice(0, 3).map((issue) => (
              <li key={issue.issue}>
                {issue.label} ({issue.posts})
              </li>
            ))}
          </ol>
          <ul className="posts-compact">
            {data.posts.items.map((post) => (
              <li key={post.id}>
                {post.text}{" "}
                <span className="meta">
                  {post.platform} · {post.postedAt ? formatDate(post.postedAt) : ""} · {post.sentiment ? t(`sentiment.${post.sentiment}` as MessageKey) : "—"}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </QueryState>
  );
}

function RegionMarket({ code }: { code: string }) {
  const { t, formatMoney } = useI18n();
  const [result, reexecute] = useQuery({ query: RegionMarketQuery, variables: { region: code }, pause: !code });
  return (
    <QueryState fetching={result.fetching} error={result.error} data={result.data} onRetry={() => reexecute({ requestPolicy: "network-only" })}>
      {(data) => (
        <>
          <div className="figure" data-testid="region-sellers">
            <span className="figure-value">{data.localSellers.length}</span>
            <span className="figure-label">{t("market.localSellers")}</span>
          </div>
          {data.stapleWatch.length > 0 && (
            <DataTable caption={t("market.staples")} rows={data.stapleWatch.slice(0, 6)} rowKey={(row) => row.name} columns={[
              { key: "name", header: t("market.product"), render: (row) => row.name },
              { key: "price", header: t("market.latest"), render: (row) => formatMoney(row.latestPrice), numeric: true },
              { key: "change", header: t("market.change"), render: (row) => <ChangeCell value={row.changePercent} />, numeric: true },
            ]} />
          )}
        </>
      )}
    </QueryState>
  );
}

/** The region's master data from the Kemendagri codes: level, parent, figures and the regions below. */
function RegionMaster({ code }: { code: string }) {
  const { t, formatNumber } = useI18n();
  const [result, reexecute] = useQuery({ query: RegionQuery, variables: { code }, pause: !code });
  return (
    <Section title={t("region.children")} wide>
      <QueryState fetching={result.fetching} error={result.error} data={result.data} isEmpty={(d) => d.region === null} onRetry={() => reexecute({ requestPolicy: "network-only" })}>
        {(data) => (
          <>
            <dl className="props">
              <dt>{t("region.code")}</dt>
              <dd>{data.region?.code}</dd>
              <dt>{t("region.level")}</dt>
              <dd>{data.region?.levelName}</dd>
              <dt>{t("region.parent")}</dt>
              <dd>{data.region?.parent ? <Link to={`/region?${createSearchParams({ code: data.region.parent.code })}`}>{data.region.parent.name}</Link> : "—"}</dd>
              <dt>{t("region.population")}</dt>
              <dd>{data.region?.populationTotal == null ? "—" : formatNumber(data.region.populationTotal)}</dd>
              <dt>{t("region.area")}</dt>
              <dd>{data.region?.areaKm2 == null ? "—" : formatNumber(data.region.areaKm2)}</dd>
            </dl>
            <ul className="region-list" data-testid="region-children">
              {data.regions.items.map((child) => (
                <li key={child.code}>
                  <Link to={`/region?${createSearchParams({ code: child.code })}`}>{child.name}</Link>
                </li>
              ))}
            </ul>
          </>
        )}
      </QueryState>
    </Section>
  );
}

function RegionDetail({ node }: { node: Node }) {
  const { t } = useI18n();
  const inside = useMemo(() => locatedIn(node), [node]);
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
          <RegionSocial name={node.name} />
        </Section>
        <Section title={t("region.market")}>
          <RegionMarket code={String((node.properties as { code?: string })?.code ?? "")} />
        </Section>
        <Section title={t("region.agency")}>
          {others.length === 0 ? (
            <p className="state state-empty">{t("state.empty")}</p>
          ) : (
            <DataTable caption={t("region.located")} columns={columns} rows={others} rowKey={(n) => n.id} />
          )}
        </Section>
      </div>
      <RegionMaster code={String((node.properties as { code?: string })?.code ?? "")} />
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
