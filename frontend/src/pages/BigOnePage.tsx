/** Big One: the catalog, a dataset table, the entity explorer and the link review queue. */
import { Tabs } from "../components/Tabs";
import { useUrlState } from "../components/useUrlState";
import { useI18n } from "../i18n";
import { CatalogView } from "./CatalogView";
import { DatasetTable } from "./DatasetTable";
import { EntityExplorer } from "./EntityExplorer";
import { ReviewQueue } from "./ReviewQueue";

const TABS = ["catalog", "table", "entities", "review"] as const;
type Tab = (typeof TABS)[number];

export function BigOnePage() {
  const { t } = useI18n();
  const [state, setState] = useUrlState(["tab"] as const);
  const tab: Tab = (TABS as readonly string[]).includes(state.tab) ? (state.tab as Tab) : "entities";
  const titles: Record<Tab, string> = {
    catalog: t("bigone.catalog"),
    table: t("bigone.table"),
    entities: t("bigone.entities"),
    review: t("bigone.review"),
  };

  return (
    <div className="page">
      <h1>{t("bigone.title")}</h1>
      <Tabs label={t("bigone.title")} tabs={TABS.map((key) => ({ key, title: titles[key] }))} selected={tab} onSelect={(key) => setState({ tab: key })}>
        {tab === "catalog" && <CatalogView />}
        {tab === "table" && <DatasetTable />}
        {tab === "entities" && <EntityExplorer />}
        {tab === "review" && <ReviewQueue />}
      </Tabs>
    </div>
  );
}
