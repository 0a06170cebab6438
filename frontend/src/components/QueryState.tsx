/** The loading, empty and error states every view shows, announced to screen readers. */
import type { ReactNode } from "react";
import type { CombinedError } from "urql";
import { useI18n } from "../i18n";

interface QueryStateProps<T> {
  fetching: boolean;
  error?: CombinedError;
  data: T | undefined;
  isEmpty?: (data: T) => boolean;
  onRetry?: () => void;
  children: (data: T) => ReactNode;
}

export function QueryState<T>({ fetching, error, data, isEmpty, onRetry, children }: QueryStateProps<T>) {
  const { t } = useI18n();

  if (error && data === undefined) {
    return (
      <div className="state state-error" role="alert">
        <strong>{t("state.error")}</strong>
        <p>{error.graphQLErrors[0]?.message ?? error.networkError?.message ?? error.message}</p>
        {onRetry && (
          <button type="button" onClick={onRetry}>
            {t("state.retry")}
          </button>
        )}
      </div>
    );
  }
  if (data === undefined || (fetching && data === undefined)) {
    return (
      <div className="state state-loading" role="status" aria-live="polite">
        <span className="spinner" aria-hidden="true" />
        {t("state.loading")}
      </div>
    );
  }
  if (isEmpty?.(data) && !error) {
    return (
      <p className="state state-empty" role="status">
        {t("state.empty")}
      </p>
    );
  }
  return (
    <div aria-busy={fetching}>
      {error && (
        <p className="state state-error" role="alert">
          {t("state.partial")}: {error.graphQLErrors[0]?.message ?? error.message}
        </p>
      )}
      {children(data)}
    </div>
  );
}

/** A section whose GraphQL field the server's schema does not have yet. */
export function Unavailable({ field }: { field: string }) {
  const { t } = useI18n();
  return (
    <p className="state state-unavailable" role="status">
      {t("state.unavailable", { field })}
    </p>
  );
}
