/** Big Social: volume and sentiment, issues, terms, share of voice, influencers and search. */
import { Unavailable } from "../components/QueryState";
import { Section } from "../components/Section";
import { useI18n } from "../i18n";

export function SocialPage() {
  const { t } = useI18n();
  return (
    <div className="page">
      <h1>{t("social.title")}</h1>
      <div className="grid">
        <Section title={t("social.volume")} wide>
          <Unavailable field="sentimentSeries" />
        </Section>
        <Section title={t("social.issues")}>
          <Unavailable field="issueBreakdown" />
        </Section>
        <Section title={t("social.terms")}>
          <Unavailable field="socialTrends" />
        </Section>
        <Section title={t("social.sov")}>
          <Unavailable field="shareOfVoice" />
        </Section>
        <Section title={t("social.influencers")}>
          <Unavailable field="influencers" />
        </Section>
        <Section title={t("social.search")} wide>
          <Unavailable field="searchPosts" />
        </Section>
      </div>
    </div>
  );
}
