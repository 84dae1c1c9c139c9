/**
 * The theme, as WAI-ARIA's radio group pattern has it: Tab reaches the chosen one, and the arrow keys
 * (and Home, End) choose another. As three buttons, each was a stop for Tab and the arrows did nothing.
 */
import { useRef, useState, type KeyboardEvent } from 'react';
import { applyTheme, themeChoice, type ThemeChoice } from '../../theme';
import { Card } from '../../ui/parts';

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
    const to = ({ ArrowRight: at + 1, ArrowDown: at + 1, ArrowLeft: at - 1, ArrowUp: at - 1, Home: 0, End: CHOICES.length - 1 } as Record<string, number>)[event.key];
    if (to === undefined) return;
    event.preventDefault();
    const index = (to + CHOICES.length) % CHOICES.length;
    choose(CHOICES[index]!);
    group.current?.querySelectorAll<HTMLElement>('[role="radio"]')[index]?.focus();
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
