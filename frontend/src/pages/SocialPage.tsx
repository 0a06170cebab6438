/**
 * Big Social: volume and sentiment over time, issues, top terms and hashtags,
 * share of voice per tracked entity, influencers, and search by meaning. The
 * filters (dates, platform, sentiment, issue, search text) live in the URL and
 * apply to every section.
 */
import { useState } from "react";
import type { FormEvent } from "react";
import { useQuery } from "urql";
import { SearchPostsQuery, SocialOverviewQuery } from "../api/social";
import { COLOURS, HorizontalBarChart, StackedAreaChart } from "../components/charts";
import { DataTable } from "../components/DataTable";
import { QueryState } from "../components/QueryState";
import { Section } from "../components/Section";
import { useUrlState } from "../components/useUrlState";
import type { PostFilterInput, SocialOverviewQuery as Overview } from "../gql/graphql";
import { useI18n } from "../i18n";
import type { MessageKey } from "../i18n";

const FILTER_KEYS = ["since", "until", "platform", "sentiment", "issue", "q"] as const;
type Filters = Record<(typeof FILTER_KEYS)[number], string>;

export const PLATFORMS = ["twitter", "facebook", "instagram", "tiktok", "youtube", "news"];
export const SENTIMENTS = ["positive", "neutral", "negative"] as const;
export const ISSUES = ["infrastructure", "health", "education", "economy", "disaster", "security", "public_services", "politics", "environment", "other"];

/** The GraphQL filter for the URL's filters; dates are whole days in WIB. */
export function postFilter(filters: Filters): PostFilterInput | null {
  const filter: PostFilterInput = {};
  if (filters.since) filter.since = `${filters.since}T00:00:00+07:00`;
  if (filters.until) filter.until = nextDay(filters.until);
  if (filters.platform) filter.platforms = [filters.platform];
  if (filters.sentiment) filter.sentiments = [filters.sentiment];
  if (filters.issue) filter.issues = [filters.issue];
  return Object.keys(filter).length ? filter : null;
}

function nextDay(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return `${date.toISOString().slice(0, 10)}T00:00:00+07:00`;
}

const day = (bucket: string) => bucket.slice(0, 10);

function SocialFilters({ filters, setFilters }: { filters: Filters; setFilters: (f: Partial<Filters>) => void }) {
  const { t } = useI18n();
  const select = (key: "platform" | "sentiment" | "issue", label: MessageKey, options: readonly string[], optionLabel: (o: string) => string) => (
    <label>
      {t(label)}
      <select name={key} value={filters[key]} onChange={(event) => setFilters({ [key]: event.target.value })}>
        <option value="">{t("social.all")}</option>
        {options.map((option) => (
          <option key={option} value={option}>
            {optionLabel(option)}
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <form className="filters" aria-label={t("filter.apply")} onSubmit={(event) => event.preventDefault()}>
      <label>
        {t("social.from")}
        <input type="date" name="since" value={filters.since} onChange={(event) => setFilters({ since: event.target.value })} />
      </label>
      <label>
        {t("social.to")}
        <input type="date" name="until" value={filters.until} onChange={(event) => setFilters({ until: event.target.value })} />
      </label>
      {select("platform", "social.platform", PLATFORMS, (p) => p)}
      {select("sentiment", "social.sentiment", SENTIMENTS, (s) => t(`sentiment.${s}` as MessageKey))}
      {select("issue", "social.issue", ISSUES, (i) => i)}
      <button type="button" onClick={() => setFilters({ since: "", until: "", platform: "", sentiment: "", issue: "" })}>
        {t("filter.clear")}
      </button>
    </form>
  );
}

function VolumeSection({ data }: { data: Overview }) {
  const { t, formatDate } = useI18n();
  const points = data.volume[0]?.points ?? [];
  const spikes = points.filter((p) => p.isSpike);
  const rows = data.sentimentSeries.map((p) => ({ day: day(p.bucket), ...p.sentiment }));
  const total = data.volume[0]?.total ?? 0;

  return (
    <>
      <StackedAreaChart
        data={rows}
        x="day"
        testId="chart-sentiment"
        summary={t("social.volumeSummary", { posts: total, days: points.length, spikes: spikes.length })}
        series={SENTIMENTS.map((s) => ({ key: s, name: t(`sentiment.${s}` as MessageKey), colour: COLOURS[s] }))}
      />
      <p>
        <strong>{t("social.spikes")}:</strong>{" "}
        {spikes.length === 0 ? "—" : spikes.map((p) => `${formatDate(p.bucket)} (${p.count})`).join(", ")}
      </p>
    </>
  );
}

function IssuesSection({ data }: { data: Overview }) {
  const { t, formatPercent } = useI18n();
  return (
    <>
      <HorizontalBarChart data={data.issueBreakdown} label="label" value="posts" name={t("social.posts")} summary={data.issueBreakdown.map((i) => `${i.label}: ${i.posts}`).join(", ")} testId="chart-issues" />
      <DataTable
        caption={t("social.issues")}
        rows={data.issueBreakdown}
        rowKey={(row) => row.issue}
        columns={[
          { key: "label", header: t("social.issue"), render: (row) => row.label },
          { key: "posts", header: t("social.posts"), render: (row) => row.posts, numeric: true },
          { key: "share", header: t("social.share"), render: (row) => formatPercent(row.share), numeric: true },
          { key: "net", header: t("social.net"), render: (row) => row.sentiment.net?.toFixed(2) ?? "—", numeric: true },
        ]}
      />
    </>
  );
}

function TermsSection({ data }: { data: Overview }) {
  const { t } = useI18n();
  return (
    <div className="columns-2">
      <DataTable caption={t("social.term")} rows={data.socialTopTerms} rowKey={(row) => row.term} columns={[
        { key: "term", header: t("social.term"), render: (row) => row.term },
        { key: "posts", header: t("social.posts"), render: (row) => row.posts, numeric: true },
      ]} />
      <DataTable caption={t("social.hashtags")} rows={data.hashtags} rowKey={(row) => row.key} columns={[
        { key: "tag", header: t("social.hashtags"), render: (row) => `#${row.key.replace(/^#/, "")}` },
        { key: "posts", header: t("social.posts"), render: (row) => row.total, numeric: true },
      ]} />
    </div>
  );
}

function VoiceSection({ data }: { data: Overview }) {
  const { t, formatPercent } = useI18n();
  return (
    <DataTable caption={t("social.sov")} rows={data.shareOfVoice} rowKey={(row) => row.entity} columns={[
      { key: "name", header: t("entity.other"), render: (row) => row.name },
      { key: "posts", header: t("social.posts"), render: (row) => row.posts, numeric: true },
      { key: "share", header: t("social.share"), render: (row) => formatPercent(row.share), numeric: true },
      { key: "positive", header: t("sentiment.positive"), render: (row) => row.sentiment.positive, numeric: true },
      { key: "negative", header: t("sentiment.negative"), render: (row) => row.sentiment.negative, numeric: true },
      { key: "net", header: t("social.net"), render: (row) => row.sentiment.net?.toFixed(2) ?? "—", numeric: true },
    ]} />
  );
}

function InfluencersSection({ data }: { data: Overview }) {
  const { t, formatNumber } = useI18n();
  return (
    <DataTable caption={t("social.influencers")} rows={data.influencers} rowKey={(row) => `${row.platform}/${row.author}`} columns={[
      { key: "author", header: t("social.account"), render: (row) => (row.authorHashed ? <span title="pseudonym">{row.author.slice(0, 10)}…</span> : row.author) },
      { key: "platform", header: t("social.platform"), render: (row) => row.platform },
      { key: "posts", header: t("social.posts"), render: (row) => row.posts, numeric: true },
      { key: "engagement", header: t("social.engagement"), render: (row) => formatNumber(row.engagement), numeric: true },
      { key: "net", header: t("social.net"), render: (row) => row.netSentiment?.toFixed(2) ?? "—", numeric: true },
    ]} />
  );
}

function SearchSection({ filters, setFilters, filter }: { filters: Filters; setFilters: (f: Partial<Filters>) => void; filter: PostFilterInput | null }) {
  const { t, formatDate } = useI18n();
  const [draft, setDraft] = useState(filters.q);
  const [result, reexecute] = useQuery({ query: SearchPostsQuery, variables: { query: filters.q, filter }, pause: !filters.q });

  function submit(event: FormEvent) {
    event.preventDefault();
    setFilters({ q: draft.trim() });
  }

  return (
    <>
      <form className="filters" role="search" onSubmit={submit}>
        <label>
          {t("social.searchLabel")}
          <input type="search" name="q" value={draft} onChange={(event) => setDraft(event.target.value)} />
        </label>
        <button type="submit" className="primary">
          {t("filter.apply")}
        </button>
      </form>
      {!filters.q ? (
        <p className="state">{t("social.noQuery")}</p>
      ) : (
        <QueryState fetching={result.fetching} error={result.error} data={result.data} isEmpty={(d) => d.searchPosts.length === 0} onRetry={() => reexecute({ requestPolicy: "network-only" })}>
          {(data) => (
            <ol className="posts" data-testid="search-results">
              {data.searchPosts.map(({ score, post }) => (
                <li key={post.id}>
                  <p>{post.text}</p>
                  <p className="meta">
                    <span className="badge">{post.platform}</span> {post.postedAt ? formatDate(post.postedAt) : ""} ·{" "}
                    {post.sentiment ? t(`sentiment.${post.sentiment}` as MessageKey) : "—"} · {t("social.score")} {score.toFixed(2)}
                    {post.issues.length > 0 && ` · ${post.issues.map((i) => i.issue).join(", ")}`}
                  </p>
                </li>
              ))}
            </ol>
          )}
        </QueryState>
      )}
    </>
  );
}

export function SocialPage() {
  const { t } = useI18n();
  const [filters, setFilters] = useUrlState(FILTER_KEYS);
  const filter = postFilter(filters);
  const [result, reexecute] = useQuery({ query: SocialOverviewQuery, variables: { filter } });
  const retry = () => reexecute({ requestPolicy: "network-only" });
  const section = (title: MessageKey, render: (data: Overview) => React.ReactNode, wide = false) => (
    <Section title={t(title)} wide={wide}>
      <QueryState fetching={result.fetching} error={result.error} data={result.data} isEmpty={(d) => (d.volume[0]?.total ?? 0) === 0} onRetry={retry}>
        {render}
      </QueryState>
    </Section>
  );

  return (
    <div className="page">
      <h1>{t("social.title")}</h1>
      <SocialFilters filters={filters} setFilters={setFilters} />
      <div className="grid">
        {section("social.volume", (data) => <VolumeSection data={data} />, true)}
        {section("social.issues", (data) => <IssuesSection data={data} />)}
        {section("social.terms", (data) => <TermsSection data={data} />)}
        {section("social.sov", (data) => <VoiceSection data={data} />)}
        {section("social.influencers", (data) => <InfluencersSection data={data} />)}
        <Section title={t("social.search")} wide>
          <SearchSection filters={filters} setFilters={setFilters} filter={filter} />
        </Section>
      </div>
    </div>
  );
}
