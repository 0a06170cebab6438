/**
 * Bahasa Indonesia by default, English on request. Every visible string goes
 * through `useT()`; the dictionaries share one key set, checked by the types.
 */
import { createContext, useCallback, useContext, useMemo, useState } from "react";
import type { ReactNode } from "react";

const id = {
  "app.title": "Big One",
  "app.tagline": "Data sosial, pasar dan OPD dalam satu tampilan",
  "app.skip": "Langsung ke konten",
  "nav.label": "Navigasi utama",
  "nav.overview": "Ringkasan",
  "nav.social": "Big Social",
  "nav.market": "Big Market",
  "nav.bigone": "Big One",
  "nav.region": "Wilayah",
  "nav.graphiql": "GraphiQL",
  "lang.switch": "English",
  "lang.switchLabel": "Switch to English",
  "state.loading": "Memuat…",
  "state.empty": "Belum ada data.",
  "state.error": "Gagal memuat data",
  "state.retry": "Coba lagi",
  "state.unavailable": "Server ini belum menyediakan data ini (kolom GraphQL {field} tidak ada).",
  "overview.title": "Ringkasan",
  "overview.figures": "Angka utama",
  "overview.entities": "Entitas di graf pengetahuan",
  "overview.links": "Tautan antar entitas",
  "overview.backend": "Basis graf",
  "overview.byKind": "Entitas menurut jenis",
  "overview.alerts": "Peringatan harga terbaru",
  "overview.spikes": "Lonjakan percakapan",
  "overview.datasets": "Dataset di katalog",
  "overview.posts": "Unggahan & berita",
  "overview.listings": "Produk di marketplace",
  "kind.organisation": "Organisasi",
  "kind.place": "Tempat",
  "kind.person": "Orang",
  "kind.product": "Produk",
  "kind.topic": "Topik",
  "social.title": "Big Social",
  "social.volume": "Volume dan sentimen dari waktu ke waktu",
  "social.issues": "Isu",
  "social.terms": "Kata & tagar teratas",
  "social.sov": "Share of voice per entitas",
  "social.influencers": "Akun berpengaruh",
  "social.search": "Cari unggahan berdasarkan makna",
  "social.searchLabel": "Kata kunci pencarian",
  "social.platform": "Platform",
  "social.sentiment": "Sentimen",
  "social.issue": "Isu",
  "social.from": "Dari tanggal",
  "social.to": "Sampai tanggal",
  "sentiment.positive": "Positif",
  "sentiment.negative": "Negatif",
  "sentiment.neutral": "Netral",
  "market.title": "Big Market",
  "market.staples": "Pantauan bahan pokok",
  "market.alerts": "Peringatan harga",
  "market.index": "Indeks harga",
  "market.history": "Riwayat harga produk",
  "market.sellers": "Penjual lokal teratas",
  "market.product": "Produk",
  "market.category": "Kategori",
  "market.price": "Harga",
  "market.change": "Perubahan",
  "bigone.title": "Big One",
  "bigone.catalog": "Katalog",
  "bigone.table": "Tabel dataset",
  "bigone.entities": "Penjelajah entitas",
  "bigone.review": "Antrean tinjauan tautan",
  "catalog.search": "Cari dataset",
  "catalog.agency": "OPD",
  "catalog.sector": "Sektor",
  "entity.search": "Cari entitas",
  "entity.kind": "Jenis",
  "entity.allKinds": "Semua jenis",
  "entity.id": "ID entitas",
  "entity.open": "Buka",
  "entity.properties": "Atribut",
  "entity.links": "Tautan dan asal-usul",
  "entity.graph": "Tampilan graf",
  "entity.graphLabel": "Graf tetangga {name}: {nodes} simpul, {edges} tautan",
  "entity.depth": "Kedalaman",
  "entity.relation": "Relasi",
  "entity.direction": "Arah",
  "entity.other": "Entitas lain",
  "entity.provenance": "Asal-usul",
  "entity.outgoing": "keluar",
  "entity.incoming": "masuk",
  "entity.notFound": "Entitas {id} tidak ditemukan.",
  "review.accept": "Terima",
  "review.reject": "Tolak",
  "region.title": "Wilayah",
  "region.code": "Kode wilayah",
  "region.social": "Sosial",
  "region.market": "Pasar",
  "region.agency": "OPD",
  "region.children": "Wilayah di bawahnya",
  "region.located": "Berlokasi di wilayah ini",
  "region.parent": "Induk",
  "table.sortAsc": "urut naik",
  "table.sortDesc": "urut turun",
  "filter.apply": "Terapkan",
  "filter.clear": "Hapus filter",
  "notFound.title": "Halaman tidak ditemukan",
  "notFound.back": "Kembali ke Ringkasan",
  "social.noQuery": "Tulis apa yang dicari, misalnya “jalan rusak” atau “harga cabai”.",
  "social.score": "Kemiripan",
  "social.posts": "Unggahan",
  "social.share": "Porsi",
  "social.net": "Sentimen bersih",
  "social.engagement": "Keterlibatan",
  "social.account": "Akun",
  "social.hashtags": "Tagar",
  "social.term": "Kata",
  "social.all": "Semua",
  "social.spikes": "Lonjakan",
  "social.volumeSummary": "{posts} unggahan dalam {days} hari; {spikes} lonjakan",
  "social.date": "Tanggal",
  "market.threshold": "Ambang peringatan (%)",
  "market.window": "Jendela (hari)",
  "market.source": "Sumber",
  "market.latest": "Harga terakhir",
  "market.alerting": "Waspada",
  "market.normal": "Normal",
  "market.day": "Tanggal",
  "market.listings": "Jumlah produk",
  "market.sales": "Penjualan (min.)",
  "market.revenue": "Omzet (min.)",
  "market.shop": "Toko",
  "market.by": "Peringkat menurut",
  "market.byShop": "Toko",
  "market.byProduct": "Produk",
  "market.indexSummary": "Indeks harga {category}: {first} menjadi {last}",
  "market.historySummary": "Harga median {product}: {points} pengamatan",
  "market.median": "Median",
  "market.minimum": "Terendah",
  "market.maximum": "Tertinggi",
  "market.period": "Periode",
  "market.commodity": "komoditas",
  "market.listing": "marketplace",
  "market.localSellers": "Toko lokal",
  "market.location": "Lokasi",
  "overview.alerting": "Bahan pokok waspada",
  "region.posts": "Unggahan yang menyebut wilayah ini",
  "region.topIssues": "Isu teratas",
} as const;

export type MessageKey = keyof typeof id;
type Dictionary = Record<MessageKey, string>;

const en: Dictionary = {
  "app.title": "Big One",
  "app.tagline": "Social, market and agency data in one view",
  "app.skip": "Skip to content",
  "nav.label": "Main navigation",
  "nav.overview": "Overview",
  "nav.social": "Big Social",
  "nav.market": "Big Market",
  "nav.bigone": "Big One",
  "nav.region": "Region",
  "nav.graphiql": "GraphiQL",
  "lang.switch": "Bahasa Indonesia",
  "lang.switchLabel": "Ganti ke Bahasa Indonesia",
  "state.loading": "Loading…",
  "state.empty": "No data yet.",
  "state.error": "Could not load the data",
  "state.retry": "Try again",
  "state.unavailable": "This server does not provide this data yet (no GraphQL field {field}).",
  "overview.title": "Overview",
  "overview.figures": "Key figures",
  "overview.entities": "Entities in the knowledge graph",
  "overview.links": "Links between entities",
  "overview.backend": "Graph backend",
  "overview.byKind": "Entities by kind",
  "overview.alerts": "Latest price alerts",
  "overview.spikes": "Conversation spikes",
  "overview.datasets": "Datasets in the catalog",
  "overview.posts": "Posts & articles",
  "overview.listings": "Marketplace listings",
  "kind.organisation": "Organisations",
  "kind.place": "Places",
  "kind.person": "People",
  "kind.product": "Products",
  "kind.topic": "Topics",
  "social.title": "Big Social",
  "social.volume": "Volume and sentiment over time",
  "social.issues": "Issues",
  "social.terms": "Top terms & hashtags",
  "social.sov": "Share of voice per entity",
  "social.influencers": "Influential accounts",
  "social.search": "Search posts by meaning",
  "social.searchLabel": "Search text",
  "social.platform": "Platform",
  "social.sentiment": "Sentiment",
  "social.issue": "Issue",
  "social.from": "From date",
  "social.to": "To date",
  "sentiment.positive": "Positive",
  "sentiment.negative": "Negative",
  "sentiment.neutral": "Neutral",
  "market.title": "Big Market",
  "market.staples": "Staple-food watch",
  "market.alerts": "Price alerts",
  "market.index": "Price index",
  "market.history": "Product price history",
  "market.sellers": "Top local sellers",
  "market.product": "Product",
  "market.category": "Category",
  "market.price": "Price",
  "market.change": "Change",
  "bigone.title": "Big One",
  "bigone.catalog": "Catalog",
  "bigone.table": "Dataset table",
  "bigone.entities": "Entity explorer",
  "bigone.review": "Link review queue",
  "catalog.search": "Search datasets",
  "catalog.agency": "Agency",
  "catalog.sector": "Sector",
  "entity.search": "Search entities",
  "entity.kind": "Kind",
  "entity.allKinds": "All kinds",
  "entity.id": "Entity ID",
  "entity.open": "Open",
  "entity.properties": "Attributes",
  "entity.links": "Links and provenance",
  "entity.graph": "Graph view",
  "entity.graphLabel": "Neighbourhood graph of {name}: {nodes} nodes, {edges} links",
  "entity.depth": "Depth",
  "entity.relation": "Relation",
  "entity.direction": "Direction",
  "entity.other": "Other entity",
  "entity.provenance": "Provenance",
  "entity.outgoing": "outgoing",
  "entity.incoming": "incoming",
  "entity.notFound": "Entity {id} was not found.",
  "review.accept": "Accept",
  "review.reject": "Reject",
  "region.title": "Region",
  "region.code": "Region code",
  "region.social": "Social",
  "region.market": "Market",
  "region.agency": "Agencies",
  "region.children": "Regions below",
  "region.located": "Located in this region",
  "region.parent": "Parent",
  "table.sortAsc": "sorted ascending",
  "table.sortDesc": "sorted descending",
  "filter.apply": "Apply",
  "filter.clear": "Clear filters",
  "notFound.title": "Page not found",
  "notFound.back": "Back to the overview",
  "social.noQuery": "Type what to look for, e.g. “jalan rusak” (broken roads) or “harga cabai” (chilli prices).",
  "social.score": "Similarity",
  "social.posts": "Posts",
  "social.share": "Share",
  "social.net": "Net sentiment",
  "social.engagement": "Engagement",
  "social.account": "Account",
  "social.hashtags": "Hashtags",
  "social.term": "Term",
  "social.all": "All",
  "social.spikes": "Spikes",
  "social.volumeSummary": "{posts} posts over {days} days; {spikes} spikes",
  "social.date": "Date",
  "market.threshold": "Alert threshold (%)",
  "market.window": "Window (days)",
  "market.source": "Source",
  "market.latest": "Latest price",
  "market.alerting": "Alert",
  "market.normal": "Normal",
  "market.day": "Date",
  "market.listings": "Listings",
  "market.sales": "Sales (min.)",
  "market.revenue": "Revenue (min.)",
  "market.shop": "Shop",
  "market.by": "Rank by",
  "market.byShop": "Shop",
  "market.byProduct": "Product",
  "market.indexSummary": "Price index of {category}: {first} to {last}",
  "market.historySummary": "Median price of {product}: {points} observations",
  "market.median": "Median",
  "market.minimum": "Lowest",
  "market.maximum": "Highest",
  "market.period": "Period",
  "market.commodity": "commodity",
  "market.listing": "marketplace",
  "market.localSellers": "Local shops",
  "market.location": "Location",
  "overview.alerting": "Staples on alert",
  "region.posts": "Posts naming this region",
  "region.topIssues": "Top issues",
};

export type Language = "id" | "en";
const DICTIONARIES: Record<Language, Dictionary> = { id, en };
const STORAGE_KEY = "bigone.lang";

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

interface I18n {
  lang: Language;
  t: Translate;
  setLang: (lang: Language) => void;
  formatNumber: (value: number) => string;
  formatDate: (value: string) => string;
  formatMoney: (value: string | number | null | undefined) => string;
  formatPercent: (fraction: number | null | undefined) => string;
}

const I18nContext = createContext<I18n | null>(null);

function readStoredLanguage(): Language {
  const stored = typeof localStorage === "undefined" ? null : localStorage.getItem(STORAGE_KEY);
  return stored === "en" ? "en" : "id";
}

export function translate(lang: Language, key: MessageKey, values?: Record<string, string | number>): string {
  const template = DICTIONARIES[lang][key];
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(values?.[name] ?? `{${name}}`));
}

export function I18nProvider({ children, initial }: { children: ReactNode; initial?: Language }) {
  const [lang, setLangState] = useState<Language>(initial ?? readStoredLanguage());

  const setLang = useCallback((next: Language) => {
    localStorage.setItem(STORAGE_KEY, next);
    document.documentElement.lang = next;
    setLangState(next);
  }, []);

  const value = useMemo<I18n>(() => {
    const locale = lang === "id" ? "id-ID" : "en-GB";
    const numbers = new Intl.NumberFormat(locale);
    const dates = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "Asia/Jakarta" });
    const money = new Intl.NumberFormat(locale, { style: "currency", currency: "IDR", maximumFractionDigits: 0 });
    const percent = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 });
    return {
      lang,
      setLang,
      t: (key, values) => translate(lang, key, values),
      formatNumber: (n) => numbers.format(n),
      formatDate: (s) => dates.format(new Date(s)),
      formatMoney: (v) => (v === null || v === undefined ? "—" : money.format(Number(v))),
      formatPercent: (f) => (f === null || f === undefined ? "—" : percent.format(f)),
    };
  }, [lang, setLang]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (value === null) throw new Error("useI18n needs an <I18nProvider> above it");
  return value;
}
