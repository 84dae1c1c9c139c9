/**
 * Keys the desktop app keeps for no provider now (a deleted provider's, one that took an env:NAME
 * since): kept so that a restored revision naming one still has it, each forgotten here when it
 * should no longer be on this machine. Shown only when there are some.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { settingsMutations } from '../../api/queries/config';
import { Card, ConfirmButton, ErrorNote } from '../../ui/parts';

export function KeptKeys({ unused }: { unused: readonly string[] }) {
  const client = useQueryClient();
  const forget = useMutation(settingsMutations.forgetKey(client));
  if (unused.length === 0) return null;
  return (
    <Card title="Keys kept for no provider">
      <p className="muted">Typed for providers that no longer use them. They stay encrypted on this machine, so a restored config that names one still works; forget the ones you no longer want here (such a config would then need its key typed again).</p>
      <ul data-testid="kept-keys">
        {unused.map((name) => (
          <li key={name} className="row">
            <code>{name}</code>
            <ConfirmButton confirm={`Forget the key kept as ${name}?`} label={`Forget ${name}`} onConfirm={() => forget.mutate(name)}>Forget</ConfirmButton>
          </li>
        ))}
      </ul>
      {forget.isError ? <ErrorNote error={forget.error} /> : null}
    </Card>
  );
}
