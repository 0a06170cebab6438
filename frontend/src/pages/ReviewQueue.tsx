/**
 * The link review queue: candidate links the linker was unsure of, with their
 * evidence; a reviewer accepts (the record joins the candidate's entity) or
 * rejects (it never joins it). Decisions are stored and survive re-runs.
 */
import { useState } from "react";
import { Link, createSearchParams } from "react-router";
import { useMutation, useQuery } from "urql";
import { AcceptLinkMutation, RejectLinkMutation, ReviewQueueQuery } from "../api/entities";
import { formatValue } from "../components/Properties";
import { QueryState } from "../components/QueryState";
import { useUrlState } from "../components/useUrlState";
import type { ReviewQueueQuery as Result } from "../gql/graphql";
import { useI18n } from "../i18n";
import { KINDS } from "./EntityExplorer";
import type { MessageKey } from "../i18n";

type Item = Result["reviewQueue"][number];
const REVIEWER_KEY = "bigone.reviewer";

interface Decision {
  itemId: string;
  outcome: string;
  entityId?: string;
}

/** The entity a record joins when the reviewer accepts the candidate. */
export function targetEntity(item: Item): string | null {
  return item.candidateEntityId ?? item.entityId ?? null;
}

function ReviewCard({ item, reviewer, onDecided }: { item: Item; reviewer: string; onDecided: (d: Decision) => void }) {
  const { t } = useI18n();
  const [accepting, accept] = useMutation(AcceptLinkMutation);
  const [rejecting, reject] = useMutation(RejectLinkMutation);
  const entityId = targetEntity(item);
  const busy = accepting.fetching || rejecting.fetching;

  async function decide(kind: "accept" | "reject") {
    if (!entityId) return;
    const run = kind === "accept" ? accept : reject;
    const result = await run({ recordId: item.recordId, entityId, reviewer });
    const value = kind === "accept" ? result.data && "acceptLink" in result.data ? result.data.acceptLink : undefined : result.data && "rejectLink" in result.data ? result.data.rejectLink : undefined;
    if (result.error) onDecided({ itemId: item.id, outcome: result.error.message });
    else if (value?.__typename === "LinkDecided") onDecided({ itemId: item.id, outcome: `${value.status} · ${value.decidedBy}`, entityId: value.entityId });
    else if (value) onDecided({ itemId: item.id, outcome: value.message });
  }

  return (
    <article className="card review" aria-labelledby={`review-${item.id}`}>
      <h3 id={`review-${item.id}`}>
        <code>{item.recordId}</code> ↔ <code>{item.candidateRecordId}</code>
      </h3>
      <p className="meta">
        <span className="badge">{item.kind}</span> {t("review.reason")}: {item.reason} · {t("review.score")} {item.score.toFixed(3)} · {item.modelVersion}
      </p>
      <details>
        <summary>{t("review.evidence")}</summary>
        <pre className="evidence">{formatValue(item.evidence)}</pre>
      </details>
      <div className="actions">
        <button type="button" className="primary" disabled={busy || !entityId || !reviewer} onClick={() => decide("accept")}>
          {t("review.accept")}
        </button>
        <button type="button" className="danger" disabled={busy || !entityId || !reviewer} onClick={() => decide("reject")}>
          {t("review.reject")}
        </button>
      </div>
    </article>
  );
}

export function ReviewQueue() {
  const { t } = useI18n();
  const [filters, setFilters] = useUrlState(["kind"] as const);
  const [reviewer, setReviewer] = useState(() => localStorage.getItem(REVIEWER_KEY) ?? "");
  const [decisions, setDecisions] = useState<Decision[]>([]);
  const [result, reexecute] = useQuery({ query: ReviewQueueQuery, variables: { kind: filters.kind || null }, requestPolicy: "network-only" });

  function onDecided(decision: Decision) {
    setDecisions((previous) => [decision, ...previous]);
    reexecute({ requestPolicy: "network-only" });
  }

  return (
    <div>
      <div className="filters">
        <label>
          {t("review.reviewer")}
          <input name="reviewer" value={reviewer} onChange={(event) => {
            setReviewer(event.target.value);
            localStorage.setItem(REVIEWER_KEY, event.target.value);
          }} />
        </label>
        <label>
          {t("entity.kind")}
          <select name="kind" value={filters.kind} onChange={(event) => setFilters({ kind: event.target.value })}>
            <option value="">{t("entity.allKinds")}</option>
            {KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {t(`kind.${kind}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {decisions.length > 0 && (
        <ul className="decisions" role="status" data-testid="review-decisions">
          {decisions.map((d) => (
            <li key={d.itemId}>
              {d.outcome}
              {d.entityId && (
                <>
                  {" · "}
                  <Link to={`/bigone?${createSearchParams({ tab: "entities", entity: d.entityId })}`}>{t("review.openEntity")}</Link>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      <QueryState fetching={result.fetching} error={result.error} data={result.data} isEmpty={(d) => d.reviewQueue.length === 0} onRetry={() => reexecute({ requestPolicy: "network-only" })}>
        {(data) => (
          <div className="grid" data-testid="review-items">
            {data.reviewQueue.map((item) => (
              <ReviewCard key={item.id} item={item} reviewer={reviewer.trim()} onDecided={onDecided} />
            ))}
          </div>
        )}
      </QueryState>
    </div>
  );
}
