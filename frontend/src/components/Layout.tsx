/** The page frame: skip link, main navigation, language switch and the GraphiQL link. */
import { NavLink, Outlet } from "react-router";
import { useI18n } from "../i18n";
import type { MessageKey } from "../i18n";

const PAGES: { to: string; key: MessageKey }[] = [
  { to: "/", key: "nav.overview" },
  { to: "/social", key: "nav.social" },
  { to: "/market", key: "nav.market" },
  { to: "/bigone", key: "nav.bigone" },
  { to: "/region", key: "nav.region" },
];

export function Layout() {
  const { t, lang, setLang } = useI18n();
  const other = lang === "id" ? "en" : "id";

  return (
    <>
      <a className="skip-link" href="#main">
        {t("app.skip")}
      </a>
      <header className="topbar">
        <div className="brand">
          <span className="brand-name">{t("app.title")}</span>
          <span className="brand-tagline">{t("app.tagline")}</span>
        </div>
        <nav aria-label={t("nav.label")}>
          <ul>
            {PAGES.map((page) => (
              <li key={page.to}>
                <NavLink to={page.to} end={page.to === "/"}>
                  {t(page.key)}
                </NavLink>
              </li>
            ))}
            <li>
              <a href="/graphql" target="_blank" rel="noopener">
                {t("nav.graphiql")}
              </a>
            </li>
          </ul>
        </nav>
        <button type="button" className="lang" lang={other} aria-label={t("lang.switchLabel")} onClick={() => setLang(other)}>
          {t("lang.switch")}
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
