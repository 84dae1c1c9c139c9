/** A chart in a card: the card's chart area, the chart resized with it. */
import type { ReactElement } from 'react';
import { ResponsiveContainer } from 'recharts';

/** The charts' series, in order; each at 3:1 or more on a light card and a dark one, as marks need. */
export const SERIES_COLORS = ['#2f6feb', '#d4731a', '#1a7f37', '#8250df', '#cf222e', '#0a7ea4'];

export function ChartBox({ children }: { children: ReactElement }) {
  return (
    <div className="chart">
      <ResponsiveContainer>{children}</ResponsiveContainer>
    </div>
  );
}
