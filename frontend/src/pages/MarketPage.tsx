/**
 * Big Market: the staple-food watch with its alerts, a category price index,
 * one product's price history and the top local sellers. Threshold, window,
 * category, product and ranking live in the URL.
 */
import { useMemo } from "react";
import { useQuery } from "urql";
import { MarketListingsQuery, PriceHistoryQuery, PriceIndexQuery, StapleWatchQuery, TopSellersQuery } from "../api/market";
import { COLOURS, LinesChart } from "../components/charts";
import { DataTable } from "../components/DataTable";
import { QueryState } from "../components/QueryState";
import { Section } from "../components/Section";
import { useUrlState } from "../components/useUrlState";
import type { MarketListingsQuery as Listings, StapleWatchQuery as Watch } from "../gql/graphql";
import { useI18n } from "../i18n";

const FILTER_KEYS = ["threshold", "window", "category", "product", "by"] as const;
type Filters = Record<(typeof FILTER_KEYS)[number], string>;
type SetFilters = (f: Partial<Filters>) => void;

export function ChangeCell({ value }: { value: string | null | undefined }) {
  if (value === null || value === undefined) return <>—</>;
  const number = Number(value);
  const sign = number > 0 ? "+" : "";
  return <span className={number > 0 ? "up" : number < 0 ? "down" : undefined}>{`${sign}${number.toFixed(1)}%`}</span>;
}

function WatchFilters({ filters, setFilters }: { filters: Filters; setFilters: SetFilters }) {
  const { t } = useI18n();
  return (
    <form className="filters" onSubmit={(event) => event.preventDefault()}>
      <label>
        {t("market.threshold")}
        <input type="number" name="threshold" min={1} max={100} step={1} placeholder="10" value={filters.threshold} onChange={(event) => setFilters({ threshold: event.target.value })} />
      </label>
      <label>
        {t("market.window")}
        <input type="number" name="window" min={1} max={90} step={1} placeholder="7" value={filters.window} onChange={(event) => setFilters({ window: event.target.value })} />
      </label>
    </form>
  );
}

function StapleTable({ data }: { data: Watch }) {
  const { t, formatMoney, formatDate } = useI18n();
  return (
    <DataTable
      caption={t("market.staples")}
      rows={data.stapleWatch}
      rowKey={(row) => `${row.source}/${row.name}/${row.listingId ?? ""}`}
      columns={[
        { key: "label", header: t("market.product"), render: (row) => row.label },
        { key: "name", header: t("market.source"), render: (row) => <>{row.name} <span className="badge">{t(row.source === "commodity" ? "market.commodity" : "market.listing")}</span></> },
        { key: "latest", header: t("market.latest"), render: (row) => formatMoney(row.latestPrice), numeric: true },
        { key: "day", header: t("market.day"), render: (row) => (row.latestDay ? formatDate(row.latestDay) : "—") },
        { key: "change", header: t("market.change"), render: (row) => <ChangeCell value={row.changePercent} />, numeric: true },
        { key: "state", header: t("market.alerting"), render: (row) => <span className={row.alerting ? "badge badge-alert" : "badge badge-ok"}>{t(row.alerting ? "market.alerting" : "market.normal")}</span> },
      ]}
    />
  );
}

function AlertList({ data }: { data: Watch }) {
  const { formatMoney, formatDate } = useI18n();
  return (
    <ul className="alerts" data-testid="price-alerts">
      {data.priceAlerts.slice(0, 12).map((alert) => (
        <li key={`${alert.name}/${alert.day}`}>
          <strong>{alert.name}</strong> <ChangeCell value={alert.changePercent} /> → {formatMoney(alert.price)}
          <span className="meta"> · {formatDate(alert.day)}</span>
        </li>
      ))}
    </ul>
  );
}

function categoriesOf(listings: Listings): string[] {
  return [...new Set(listings.listings.items.map((item) => item.category).filter((c): c is string => !!c))].sort();
}

function productsOf(listings: Listings): { id: string; title: string }[] {
  const byId = new Map<string, string>();
  for (const item of listings.listings.items) if (item.productId && !byId.has(item.productId)) byId.set(item.productId, item.title);
  return [...byId].map(([id, title]) => ({ id, title })).sort((a, b) => a.title.localeCompare(b.title));
}

function PriceIndexSection({ listings, filters, setFilters }: { listings: Listings; filters: Filters; setFilters: SetFilters }) {
  const { t } = useI18n();
  const categories = categoriesOf(listings);
  const category = filters.category || (categories.includes("Sembako") ? "Sembako" : categories[0] ?? "");
  const [result, reexecute] = useQuery({ query: PriceIndexQuery, variables: { category }, pause: !category });
  return (
    <>
      <div className="filters">
        <label>
          {t("market.category")}
          <select name="category" value={category} onChange={(event) => setFilters({ category: event.target.value })}>
            {categories.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </label>
      </div>
      <QueryState fetching={result.fetching} error={result.error} data={result.data} isEmpty={(d) => d.priceIndex.length === 0} onRetry={() => reexecute({ requestPolicy: "network-only" })}>
        {(data) => {
          const points = data.priceIndex.map((p) => ({ period: p.period, index: Number(p.index) }));
          const summary = t("market.indexSummary", { category, first: points[0]?.index.toFixed(1) ?? "—", last: points.at(-1)?.index.toFixed(1) ?? "—" });
          return <LinesChart data={points} x="period" series={[{ key: "index", name: category, colour: COLOURS.primary }]} summary={summary} testId="chart-index" />;
        }}
      </QueryState>
    </>
  );
}

function PriceHistorySection({ listings, filters, setFilters }: { listings: Listings; filters: Filters; setFilters: SetFilters }) {
  const { t } = useI18n();
  const products = productsOf(listings);
  const product = products.find((p) => p.id === filters.product) ?? products[0];
  const [result, reexecute] = useQuery({ query: PriceHistoryQuery, variables: { productId: product?.id }, pause: !product });
  return (
    <>
      <div className="filters">
        <label>
          {t("market.product")}
          <select name="product" value={product?.id ?? ""} onChange={(event) => setFilters({ product: event.target.value })}>
            {products.map((p) => (
              <option key={p.id} value={p.id}>
                {p.title}
              </option>
            ))}
          </select>
        </label>
      </div>
      <QueryState fetching={result.fetching} error={result.error} data={result.data} isEmpty={(d) => d.priceHistory.length === 0} onRetry={() => reexecute({ requestPolicy: "network-only" })}>
        {(data) => {
          const points = data.priceHistory.map((p) => ({ day: p.observedAt.slice(0, 10), median: Number(p.median), minimum: Number(p.minimum), maximum: Number(p.maximum) }));
          return (
            <LinesChart
              data={points}
              x="day"
              testId="chart-history"
              summary={t("market.historySummary", { product: product?.title ?? "", points: points.length })}
              series={[
                { key: "minimum", name: t("market.minimum"), colour: COLOURS.positive },
                { key: "median", name: t("market.median"), colour: COLOURS.primary },
                { key: "maximum", name: t("market.maximum"), colour: COLOURS.negative },
              ]}
            />
          );
        }}
      </QueryState>
    </>
  );
}

function TopSellersSection({ filters, setFilters }: { filters: Filters; setFilters: SetFilters }) {
  const { t, formatMoney, formatNumber } = useI18n();
  const by = filters.by === "PRODUCT" ? "PRODUCT" : "SHOP";
  const [result, reexecute] = useQuery({ query: TopSellersQuery, variables: { by } });
  return (
    <>
      <div className="filters">
        <label>
          {t("market.by")}
          <select name="by" value={by} onChange={(event) => setFilters({ by: event.target.value })}>
            <option value="SHOP">{t("market.byShop")}</option>
            <option value="PRODUCT">{t("market.byProduct")}</option>
          </select>
        </label>
      </div>
      <QueryState fetching={result.fetching} error={result.error} data={result.data} isEmpty={(d) => d.topSellers.length === 0} onRetry={() => reexecute({ requestPolicy: "network-only" })}>
        {(data) => (
          <DataTable caption={t("market.sellers")} rows={data.topSellers} rowKey={(row) => row.key} columns={[
            { key: "name", header: t(by === "SHOP" ? "market.shop" : "market.product"), render: (row) => row.name },
            { key: "listings", header: t("market.listings"), render: (row) => row.listings, numeric: true },
            { key: "sales", header: t("market.sales"), render: (row) => formatNumber(row.salesMinimum), numeric: true },
            { key: "revenue", header: t("market.revenue"), render: (row) => formatMoney(row.revenueMinimum), numeric: true },
          ]} />
        )}
      </QueryState>
    </>
  );
}

export function MarketPage() {
  const { t } = useI18n();
  const [filters, setFilters] = useUrlState(FILTER_KEYS);
  const watchVariables = useMemo(
    () => ({ threshold: filters.threshold || null, window: filters.window ? Number(filters.window) : null }),
    [filters.threshold, filters.window],
  );
  const [watch, reexecuteWatch] = useQuery({ query: StapleWatchQuery, variables: watchVariables });
  const [listings, reexecuteListings] = useQuery({ query: MarketListingsQuery });
  const retryWatch = () => reexecuteWatch({ requestPolicy: "network-only" });
  const retryListings = () => reexecuteListings({ requestPolicy: "network-only" });

  return (
    <div className="page">
      <h1>{t("market.title")}</h1>
      <div className="grid">
        <Section title={t("market.staples")} wide>
          <WatchFilters filters={filters} setFilters={setFilters} />
          <QueryState fetching={watch.fetching} error={watch.error} data={watch.data} isEmpty={(d) => d.stapleWatch.length === 0} onRetry={retryWatch}>
            {(data) => <StapleTable data={data} />}
          </QueryState>
        </Section>
        <Section title={t("market.alerts")}>
          <QueryState fetching={watch.fetching} error={watch.error} data={watch.data} isEmpty={(d) => d.priceAlerts.length === 0} onRetry={retryWatch}>
            {(data) => <AlertList data={data} />}
          </QueryState>
        </Section>
        <Section title={t("market.index")}>
          <QueryState fetching={listings.fetching} error={listings.error} data={listings.data} isEmpty={(d) => d.listings.total === 0} onRetry={retryListings}>
            {(data) => <PriceIndexSection listings={data} filters={filters} setFilters={setFilters} />}
          </QueryState>
        </Section>
        <Section title={t("market.history")}>
          <QueryState fetching={listings.fetching} error={listings.error} data={listings.data} isEmpty={(d) => d.listings.total === 0} onRetry={retryListings}>
            {(data) => <PriceHistorySection listings={data} filters={filters} setFilters={setFilters} />}
          </QueryState>
        </Section>
        <Section title={t("market.sellers")}>
          <TopSellersSection filters={filters} setFilters={setFilters} />
        </Section>
      </div>
    </div>
  );
}
