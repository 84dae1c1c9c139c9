/**
 * A table whose rows become blocks of labelled cells when its columns do not fit beside each other
 * in its card. Measured, not guessed from the window's width: a card is as wide as the page's grid
 * makes it (half the window on Settings), and what a table needs is what its rows hold (a long
 * model name). Sized by the window, the usage log's columns went behind a sideways scroll, and a
 * budget's buttons past its card's edge, on every window between a phone's and 1280 pixels, the
 * desktop app's smallest (900) among them.
 */
import { useLayoutEffect, useRef, type TableHTMLAttributes } from 'react';

export function StackedTable(table: TableHTMLAttributes<HTMLTableElement>) {
  const wrap = useRef<HTMLDivElement>(null);
  // After every render: new rows may need more room than the ones before.
  useLayoutEffect(() => fit(wrap.current));
  useLayoutEffect(() => {
    const box = wrap.current;
    if (!box) return;
    let frame = 0;
    let width = box.clientWidth;
    // Stacking changes the box's height, which the observer reports next; measured in the next frame
    // and only for a new width, that report changes nothing and the observer stops there.
    const observer = new ResizeObserver(() => {
      if (box.clientWidth === width) return;
      width = box.clientWidth;
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => fit(box));
    });
    observer.observe(box);
    return () => {
      observer.disconnect();
      cancelAnimationFrame(frame);
    };
  }, []);
  return (
    <div className="table-wrap" ref={wrap}>
      <table {...table} />
    </div>
  );
}

/** Columns side by side where they fit, else stacked: measured with them side by side. */
function fit(box: HTMLDivElement | null): void {
  if (!box) return;
  delete box.dataset.stacked;
  // With its words whole (styles.css): a long name, free to break anywhere, would always fit, by
  // squeezing the other columns down to broken words.
  box.dataset.measuring = '';
  const stacks = box.scrollWidth > box.clientWidth + 1;
  delete box.dataset.measuring;
  if (stacks) box.dataset.stacked = '';
}
