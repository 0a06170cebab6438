import { useId } from "react";
import type { ReactNode } from "react";

/** A titled card; its heading labels the region for screen readers. */
export function Section({ title, children, wide }: { title: string; children: ReactNode; wide?: boolean }) {
  const headingId = useId();
  return (
    <section className={wide ? "card card-wide" : "card"} aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      {children}
    </section>
  );
}

/** One key figure: a big number with its label. */
export function Figure({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className="figure" data-testid={testId}>
      <span className="figure-value">{value}</span>
      <span className="figure-label">{label}</span>
    </div>
  );
}
