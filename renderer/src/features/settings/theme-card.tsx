/**
 * The theme, as WAI-ARIA's radio group pattern has it: Tab reaches the chosen one, and the arrow keys
 * (and Home, End) choose another. As three buttons, each was a stop for Tab and the arrows did nothing.
 */
import { useRef, useState, type KeyboardEvent } from 'react';
import { applyTheme, themeChoice, type ThemeChoice } from '../../theme';
import { Card } from '../../ui/parts';
import { roved } from '../../ui/roving';

const CHOICES: readonly ThemeChoice[] = ['system', 'light', 'dark'];

export function ThemeCard() {
  const [choice, setChoice] = useState<ThemeChoice>(themeChoice());
  const group = useRef<HTMLDivElement>(null);
  const choose = (c: ThemeChoice) => {
    applyTheme(c);
    setChoice(c);
  };
  const at = CHOICES.indexOf(choice);
  const onKeyDown = (event: KeyboardEvent) => {
    const index = roved(event, at, group.current?.querySelectorAll<HTMLElement>('[role="radio"]'), true);
    if (index !== undefined) choose(CHOICES[index]!);
  };
  return (
    <Card title="Theme">
      <div className="tabs" role="radiogroup" aria-label="Theme" ref={group} onKeyDown={onKeyDown}>
        {CHOICES.map((c) => (
          <button key={c} type="button" role="radio" aria-checked={choice === c} tabIndex={choice === c ? 0 : -1} onClick={() => choose(c)}>
            {c}
          </button>
        ))}
      </div>
    </Card>
  );
}
