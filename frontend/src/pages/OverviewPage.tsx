/** Ringkasan: key figures from every product, the latest price alerts and conversation spikes. */
import { useQuery } from "urql";
import { GraphStatsQuery } from "../api/graph";
import { LatestAlertsQuery } from "../api/market";
import { SocialSpikesQuery } from "../api/social";
import { QueryState } from "../components/QueryState";
import { Figure, Section } from "../components/Section";
import type { SocialSpikesQuery as Spikes } from "../gql/graphql";
import { useI18n } from "../i18n";
import { ChangeCell } from "./MarketPage";

interface Spike {
  key: string;
  bucket: string;
  count: number;
  zScore: number | null | undefined;
}

/** Every spike of every issue series, the newest first. */
export function latestSpikes(data: Spikes, limit = 8): Spike[] {
  return data.socialTrends
    .flatMap((series) => series.points.filter((p) => p.isSpike).map((p) => ({ key: series.key, bucket: p.bucket, count: p.count, zScore: p.zScore })))
    .sort((a, b) => b.bucket.localeCompare(a.bucket) || b.count - a.count)
    .slice(0, limit);
}

function GraphFigures() {
  const { t, formatNumber } = useI18n();
  const [result, reexecute] = useQuery({ query: GraphStatsQuery });
  return (
    <QueryState fetching={result.fetching} error={result.error} data={result.data} onRetry={() => reexecute({ requestPolicy: "network-only" })}>
      {(data) => <Figure label={t("overview.entities")} value={formatNumber(data.graphStats.entities)} testId="figure-entities" />}
    </QueryState>
  );
}

function SocialFigure() {
  const { t, formatNumber } = useI18n();
  const [result] = useQuery({ query: SocialSpikesQuery });
  return (
    <QueryState fetching={result.fetching} error={result.error} data={result.data}>
      {(data) => <Figure label={t("overview.posts")} value={formatNumber(data.posts.total)} testId="figure-posts" />}
    </QueryState>
  );
}

function MarketFigures() {
  const { t, formatNumber } = useI18n();
  const [result] = useQuery({ query: LatestAlertsQuery });
  return (
    <QueryState fetching={result.fetching} error={result.error} data={result.data}>
      {(data) => (
        <>
          <Figure label={t("overview.listings")} value={formatNumber(data.listings.total)} testId="figure-listings" />
          <Figure label={t("overview.alerting")} value={formatNumber(new Set(data.priceAlerts.map((a) => a.name)).size)} testId="figure-alerting" />
        </>
      )}
    </QueryState>
  );
}

function LatestAlerts() {
  const { formatMoney, formatDate } = useI18n();
  const [result, reexecute] = useQuery({ query: LatestAlertsQuery });
  return (
    <QueryState fetching={result.fetching} error={result.error} data={result.data} isEmpty={(d) => d.priceAlerts.length === 0} onRetry={() => reexecute({ requestPolicy: "network-only" })}>
      {(data) => (
        <ul className="alerts" data-testid="latest-alerts">
          {data.priceAlerts.slice(0, 6).map((alert) => (
            <li key={`${alert.name}/${alert.day}`}>
              <strong>{alert.name}</strong> <ChangeCell value={alert.changePercent} /> → {formatMoney(alert.price)}
              <span className="meta"> · {formatDate(alert.day)}</span>
            </li>
          ))}
        </ul>
      )}
    </QueryState>
  );
}

function LatestSpikes() {
  const { formatDate } = useI18n();
  const [result, reexecute] = useQuery({ query: SocialSpikesQuery });
  return (
    <QueryState fetching={result.fetching} error={result.error} data={result.data} isEmpty={(d) => latestSpikes(d).length === 0} onRetry={() => reexecute({ requestPolicy: "network-only" })}>
      {(data) => (
        <ul className="alerts spikes" data-testid="latest-spikes">
          {latestSpikes(data).map((spike) => (
            <li key={`${spike.key}/${spike.bucket}`}>
              <strong>{spike.key}</strong> · {formatDate(spike.bucket)} · {spike.count}
              {spike.zScore != null && <span className="meta"> (z = {spike.zScore.toFixed(1)})</span>}
            </li>
          ))}
        </ul>
      )}
    </QueryState>
  );
}

export function OverviewPage() {
  const { t } = useI18n();
  return (
    <div className="page">
      <h1>{t("overview.title")}</h1>
      <div className="grid">
        <Section title={t("overview.figures")} wide>
          <div className="figures">
            <GraphFigures />
            <SocialFigure />
            <MarketFigures />
          </div>
        </Section>
        <Section title={t("overview.alerts")}>
          <LatestAlerts />
        </Section>
        <Section title={t("overview.spikes")}>
          <LatestSpikes />
        </Section>
      </div>
    </div>
  );
}
