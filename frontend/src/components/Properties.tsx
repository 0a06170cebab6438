/** A JSON object of attributes as a definition list. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

export function Properties({ values, label }: { values: unknown; label: string }) {
  const entries = values && typeof values === "object" ? Object.entries(values as Record<string, unknown>) : [];
  if (entries.length === 0) return null;
  return (
    <dl className="props" aria-label={label}>
      {entries.map(([key, value]) => (
        <div key={key} style={{ display: "contents" }}>
          <dt>{key}</dt>
          <dd>{formatValue(value)}</dd>
        </div>
      ))}
    </dl>
  );
}
