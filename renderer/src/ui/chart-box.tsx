/** A chart in a card: the card's chart area, the chart resized with it, and its legend below it. */
import { createContext, useContext, useState, type ReactElement } from 'react';
import { Legend, ResponsiveContainer } from 'recharts';

/** The charts' series, in order; each at 3:1 or more on a light card and a dark one, as marks need. */
export const SERIES_COLORS = ['#2f6feb', '#d4731a', '#1a7f37', '#8250df', '#cf222e', '#0a7ea4'];

const LegendPlace = createContext<HTMLElement | null>(null);

/**
 * The legend is drawn below the chart's box rather than inside it: inside, a legend in many lines (a
 * dozen deployments, or names too long for one line) takes its room from the plot, down to a strip.
 */
export function ChartBox({ children }: { children: ReactElement }) {
  const [legend, setLegend] = useState<HTMLElement | null>(null);
  return (
    <LegendPlace.Provider value={legend}>
      <div className="chart">
        <ResponsiveContainer>{children}</ResponsiveContainer>
      </div>
      <div className="chart-legend" ref={setLegend} />
    </LegendPlace.Provider>
  );
}

/** A chart's legend, in its ChartBox's place for it. */
export function ChartLegend() {
  const place = useContext(LegendPlace);
  return place ? <Legend portal={place} /> : null;
}
