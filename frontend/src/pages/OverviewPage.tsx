/** Ringkasan: key figures, the latest alerts and conversation spikes. */
import { useQuery } from "urql";
import { GraphStatsQuery } from "../api/graph";
import { QueryState, Unavailable } from "../components/QueryState";
import { Figure, Section } from "../components/Section";
import { useI18n } from "../i18n";

function GraphFigures() {
  const { t, formatNumber } = useI18n();
  const [result, reexecute] = useQuery({ query: GraphStatsQuery });
  return (
    <QueryState fetching={result.fetching} error={result.error} data={result.data} onRetry={() => reexecute({ requestPolicy: "network-only" })}>
      {(data) => (
        <div className="figures">
          <Figure label={t("overview.entities")} value={formatNumber(data.graphStats.entities)} testId="figure-entities" />
          <Figure label={t("overview.backend")} value={data.graphStats.backend} />
        </div>
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
          <GraphFigures />
        </Section>
        <Section title={t("overview.alerts")}>
          <Unavailable field="priceAlerts" />
        </Section>
        <Section title={t("overview.spikes")}>
          <Unavailable field="socialTrends" />
        </Section>
      </div>
    </div>
  );
}
