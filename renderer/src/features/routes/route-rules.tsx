/**
 * A route's rules: requests with a trait (a long prompt, images, tools, reasoning, one client key, one tool),
 * or several ("And..."), go to another route instead, the first rule that matches winning. Listed,
 * added and deleted here; each change saves the route's rules, so the rest of it stays as it is.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { routeMutations } from '../../api/queries/config';
import type { RouteConfig } from '../../api/types';
import { ErrorNote, Field } from '../../ui/parts';
import { useUnsaved } from '../../ui/unsaved';

type Rule = NonNullable<RouteConfig['rules']>[number];
type Trait = keyof Rule['when'];

const TRAITS: { trait: Trait; label: string }[] = [
  { trait: 'minPromptTokens', label: 'the prompt is at least (tokens)' },
  { trait: 'hasImages', label: 'it has images' },
  { trait: 'hasTools', label: 'it offers tools' },
  { trait: 'thinking', label: 'it asks for reasoning' },
  { trait: 'clientKey', label: 'its client key is' },
  { trait: 'tool', label: 'the tool that sent it is' },
];
/** The traits given as a name: a client key's, or a tool's as the usage log names it ("Claude Code"). */
const NAMED: Partial<Record<Trait, { label: string; missing: string; describe: string }>> = {
  clientKey: { label: 'Key name', missing: 'Name the client key', describe: 'key' },
  tool: { label: 'Tool name', missing: 'Name the tool, as the usage log does (for example Claude Code or Codex)', describe: 'tool' },
};

function describeRule(rule: Rule): string {
  return Object.entries(rule.when)
    .map(([trait, value]) => (trait === 'minPromptTokens' ? `prompt ≥ ${Number(value).toLocaleString('en-US')} tokens` : NAMED[trait as Trait] ? `${NAMED[trait as Trait]?.describe} ${String(value)}` : `${TRAITS.find((t) => t.trait === trait)?.label.replace(/^it /, '') ?? trait}`))
    .join(' and ');
}

export function RouteRules({ route, routes }: { route: RouteConfig; routes: string[] }) {
  const client = useQueryClient();
  const save = useMutation(routeMutations.patch(client, route.name));
  const others = routes.filter((name) => name !== route.name);
  const [trait, setTrait] = useState<Trait>('minPromptTokens');
  const [value, setValue] = useState('');
  const [use, setUse] = useState('');
  const [valueError, setValueError] = useState<string | undefined>();
  // Traits given with "and" before the last: a rule matches a request that has them all.
  const [pending, setPending] = useState<Rule['when'] | null>(null);
  const rules = route.rules ?? [];
  // A rule half made: a value typed, or traits joined with "And..." not yet added.
  useUnsaved(`a new rule of route ${route.name}`, value.trim() !== '' || pending !== null);
  const saveRules = (next: Rule[], onSuccess?: () => void) => save.mutate({ rules: next.length > 0 ? next : null }, { onSuccess });
  /** The trait as chosen, or undefined once its value's problem is said. */
  const condition = (): Rule['when'] | undefined => {
    let when: Rule['when'];
    if (trait === 'minPromptTokens') {
      const tokens = Number(value.trim());
      if (!Number.isInteger(tokens) || tokens < 1) return void setValueError('Give a whole number of tokens, for example 32000');
      when = { minPromptTokens: tokens };
    } else if (NAMED[trait]) {
      if (!value.trim()) return void setValueError(NAMED[trait].missing);
      when = { [trait]: value.trim() };
    } else {
      when = { [trait]: true };
    }
    setValueError(undefined);
    setValue('');
    return { ...pending, ...when };
  };
  const and = () => {
    const when = condition();
    if (when) setPending(when);
  };
  const add = () => {
    const when = condition();
    if (when) saveRules([...rules, { when, use: use || (others[0] ?? '') }], () => setPending(null));
  };
  const asks = trait === 'minPromptTokens' || NAMED[trait] !== undefined;
  return (
    <details style={{ marginTop: 10 }}>
      <summary>Rules ({rules.length})</summary>
      <p className="muted">Requests with a trait go to another route instead; the first rule that matches wins.</p>
      <ul style={{ margin: '0 0 8px', paddingLeft: 18 }} aria-label={`Rules of ${route.name}`}>
        {rules.map((rule, i) => (
          <li key={i} className="row" style={{ gap: 8 }}>
            <span>when {describeRule(rule)} → <code>{rule.use}</code></span>
            <button onClick={() => saveRules(rules.filter((_, j) => j !== i))} aria-label={`Delete rule ${i + 1} of ${route.name}`}>Delete</button>
          </li>
        ))}
      </ul>
      {others.length === 0 ? (
        <p className="muted">A rule sends requests to another route: make one first.</p>
      ) : (
        <>
          <div className="form-grid">
            <Field label="When">
              <select value={trait} onChange={(e) => setTrait(e.target.value as Trait)} aria-label={`Rule trait for ${route.name}`}>
                {TRAITS.map((t) => <option key={t.trait} value={t.trait}>{t.label}</option>)}
              </select>
            </Field>
            {asks ? (
              <Field label={NAMED[trait]?.label ?? 'Tokens'} error={valueError}>
                <input value={value} onChange={(e) => setValue(e.target.value)} aria-label={`Rule value for ${route.name}`} inputMode={NAMED[trait] ? 'text' : 'numeric'} />
              </Field>
            ) : null}
            <Field label="Use route">
              <select value={use || others[0]} onChange={(e) => setUse(e.target.value)} aria-label={`Rule target for ${route.name}`}>
                {others.map((name) => <option key={name} value={name}>{name}</option>)}
              </select>
            </Field>
          </div>
          {pending ? <p className="muted" role="status">when {describeRule({ when: pending, use: '' })} and ...</p> : null}
          <div className="row" style={{ marginTop: 8 }}>
            <button onClick={add} disabled={save.isPending}>Add rule</button>
            <button onClick={and} aria-label={`And another trait for a rule of ${route.name}`}>And...</button>
            {pending ? <button onClick={() => setPending(null)}>Start over</button> : null}
          </div>
        </>
      )}
      {save.isError ? <ErrorNote error={save.error} /> : null}
    </details>
  );
}
