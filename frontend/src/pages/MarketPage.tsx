/** Big Market: staple-food watch with alerts, price index, price history and local sellers. */
import { Unavailable } from "../components/QueryState";
import { Section } from "../components/Section";
import { useI18n } from "../i18n";

export function MarketPage() {
  const { t } = useI18n();
  return (
    <div className="page">
      <h1>{t("market.title")}</h1>
      <div className="grid">
        <Section title={t("market.staples")} wide>
          <Unavailable field="stapleWatch" />
        </Section>
        <Section title={t("market.alerts")}>
          <Unavailable field="priceAlerts" />
        </Section>
        <Section title={t("market.index")}>
          <Unavailable field="priceIndex" />
        </Section>
        <Section title={t("market.history")}>
          <Unavailable field="priceHistory" />
        </Section>
        <Section title={t("market.sellers")}>
          <Unavailable field="topSellers" />
        </Section>
      </div>
    </div>
  );
}
