/**
 * A button that copies a text and says whether it did. The browser's clipboard exists on secure pages
 * only (localhost, https): on a dashboard opened over plain http from another machine, every Copy
 * button threw where no one saw it, and a new client key, shown only once, was not copied.
 */
import { useEffect, useState, type ReactNode } from 'react';

/** `onCopied`: the text is on the clipboard (what was shown only once is kept). */
export function CopyButton({ text, children, label, className, onCopied }: { text: string; children: ReactNode; label?: string; className?: string; onCopied?: () => void }) {
  const [said, setSaid] = useState<{ copied: true } | { problem: string }>();
  useEffect(() => {
    if (!said || !('copied' in said)) return;
    const timer = setTimeout(() => setSaid(undefined), 1_500);
    return () => clearTimeout(timer);
  }, [said]);
  const click = () =>
    copy(text).then(
      () => {
        setSaid({ copied: true });
        onCopied?.();
      },
      (error: Error) => setSaid({ problem: error.message }),
    );
  return (
    <>
      <button type="button" className={className} aria-label={label} onClick={() => void click()}>
        {said && 'copied' in said ? 'Copied' : children}
      </button>
      {said && 'problem' in said ? <span className="field-error" role="alert"> Not copied ({said.problem}): select it and copy it yourself</span> : null}
    </>
  );
}

/** The desktop app's clipboard, else the browser's, else a selection copied as pages did before either. */
export async function copy(text: string): Promise<void> {
  const desktop = (window as unknown as { switchyardDesktop?: { copyText?: (t: string) => Promise<void> } }).switchyardDesktop;
  if (desktop?.copyText) return desktop.copyText(text);
  if (navigator.clipboard) return navigator.clipboard.writeText(text);
  copyBySelection(text);
}

function copyBySelection(text: string): void {
  const focused = document.activeElement;
  const area = document.createElement('textarea');
  area.value = text;
  area.readOnly = true;
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.append(area);
  area.select();
  try {
    if (!document.execCommand('copy')) throw new Error('this page may not use the clipboard');
  } finally {
    area.remove();
    if (focused instanceof HTMLElement) focused.focus();
  }
}
