import { Link, Route, Routes } from "react-router";
import { Layout } from "./components/Layout";
import { useI18n } from "./i18n";
import { BigOnePage } from "./pages/BigOnePage";
import { MarketPage } from "./pages/MarketPage";
import { OverviewPage } from "./pages/OverviewPage";
import { RegionPage } from "./pages/RegionPage";
import { SocialPage } from "./pages/SocialPage";

function NotFound() {
  const { t } = useI18n();
  return (
    <div className="page">
      <h1>{t("notFound.title")}</h1>
      <Link to="/">{t("notFound.back")}</Link>
    </div>
  );
}

export function App() {
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route index element={<OverviewPage />} />
        <Route path="social" element={<SocialPage />} />
        <Route path="market" element={<MarketPage />} />
        <Route path="bigone" element={<BigOnePage />} />
        <Route path="region" element={<RegionPage />} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}
