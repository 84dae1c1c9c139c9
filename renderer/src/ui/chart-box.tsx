/** A chart in a card: the card's chart area, the chart resized with it. */
import type { ReactElement } from 'react';
import { ResponsiveContainer } from 'recharts';

export function ChartBox({ children }: { children: ReactElement }) {
  return (
    <div className="chart">
      <ResponsiveContainer>{children}</ResponsiveContainer>
    </div>
  );
}
