/**
 * Charts drawn with Recharts. Each chart is a figure with a text summary for
 * screen readers; the numbers themselves are in the tables beside the charts.
 */
import type { ReactNode } from "react";
import {
  Area,
  AreaChart,
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";

export const COLOURS = {
  positive: "#2b8a3e",
  neutral: "#868e96",
  negative: "#c92a2a",
  primary: "#1864ab",
  secondary: "#e67700",
};

function ChartFrame({ summary, children, testId }: { summary: string; children: ReactNode; testId?: string }) {
  return (
    <figure className="chart" role="img" aria-label={summary} data-testid={testId}>
      <ResponsiveContainer width="100%" height="100%" minWidth={0}>
        {children as React.ReactElement}
      </ResponsiveContainer>
    </figure>
  );
}

export interface Series {
  key: string;
  name: string;
  colour: string;
}

export function StackedAreaChart<T extends object>({ data, x, series, summary, testId }: { data: T[]; x: string; series: Series[]; summary: string; testId?: string }) {
  return (
    <ChartFrame summary={summary} testId={testId}>
      <AreaChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey={x} fontSize={11} minTickGap={16} />
        <YAxis fontSize={11} allowDecimals={false} />
        <Tooltip />
        <Legend />
        {series.map((s) => (
          <Area key={s.key} type="monotone" dataKey={s.key} name={s.name} stackId="1" stroke={s.colour} fill={s.colour} fillOpacity={0.5} isAnimationActive={false} />
        ))}
      </AreaChart>
    </ChartFrame>
  );
}

export function LinesChart<T extends object>({ data, x, series, summary, testId, domain }: { data: T[]; x: string; series: Series[]; summary: string; testId?: string; domain?: [number | "auto", number | "auto"] }) {
  return (
    <ChartFrame summary={summary} testId={testId}>
      <LineChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey={x} fontSize={11} minTickGap={16} />
        <YAxis fontSize={11} domain={domain ?? ["auto", "auto"]} width={64} />
        <Tooltip />
        <Legend />
        {series.map((s) => (
          <Line key={s.key} type="monotone" dataKey={s.key} name={s.name} stroke={s.colour} dot={false} strokeWidth={2} isAnimationActive={false} />
        ))}
      </LineChart>
    </ChartFrame>
  );
}

export function HorizontalBarChart<T extends object>({ data, label, value, name, summary, testId }: { data: T[]; label: string; value: string; name: string; summary: string; testId?: string }) {
  return (
    <ChartFrame summary={summary} testId={testId}>
      <BarChart data={data} layout="vertical" margin={{ top: 0, right: 16, bottom: 0, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis type="number" fontSize={11} allowDecimals={false} />
        <YAxis type="category" dataKey={label} width={120} fontSize={11} />
        <Tooltip />
        <Bar dataKey={value} name={name} fill={COLOURS.primary} isAnimationActive={false} />
      </BarChart>
    </ChartFrame>
  );
}
