/**
 * Where a provider down, a fallback or a budget spent is told: the desktop app's notifications, and a
 * chat's webhook set here (pasted in, kept encrypted by the desktop app; or an env:NAME the gateway
 * reads) or where the gateway starts (SWITCHYARD_WEBHOOK_URL). A webhook can be tried from here.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { settingsMutations } from '../../api/queries/config';
import type { SettingsView } from '../../api/types';
import { errorText, Field, useLiveError } from '../../ui/parts';
import { useUnsaved } from '../../ui/unsaved';

const CHANGES = 'on each change (a provider down or back, falling back, a budget at 80% or spent, a full disk, a pull ended)';

export function Notices({ to, canStore }: { to: SettingsView['server']['notices']; canStore: boolean }) {
  const hook = to.webhookHost && <>posted to the webhook at <code>{to.webhookHost}</code></>;
  return (
    <>
      {to.desktop || hook ? (
        <p data-testid="notices">Notices: {to.desktop ? <>this app's notifications{hook && <>, and {hook}</>}</> : hook}, {CHANGES}.</p>
      ) : (
        <p data-testid="notices" className="muted">
          Notices: none here. A chat's incoming webhook (Slack, Discord, Mattermost...) set below, or <code>SWITCHYARD_WEBHOOK_URL</code> where <code>switchyard serve</code> starts, is told of a provider down, a fallback or a budget spent.
        </p>
      )}
      {to.webhookProblem ? <div role="alert" data-testid="webhook-problem" className="notice bad">The webhook {to.webhookFrom === 'settings' ? 'set here' : 'the gateway was started with'} cannot be posted to: {to.webhookProblem}.</div> : null}
      {to.webhookWarning ? <div className="notice warn">{to.webhookWarning}.</div> : null}
      {to.webhookFrom === 'environment' && !to.webhookProblem ? <p className="muted">Set by <code>SWITCHYARD_WEBHOOK_URL</code> where the gateway started; one set here takes its place.</p> : null}
      {to.webhookFrom ? <TestNotice /> : null}
      <WebhookForm set={to.webhookFrom === 'settings'} canStore={canStore} />
    </>
  );
}

/**
 * The webhook's URL pasted in (kept by the desktop app's key store, never shown again beyond its
 * host), or an env:NAME the gateway reads it from; and its removal.
 */
function WebhookForm({ set, canStore }: { set: boolean; canStore: boolean }) {
  const client = useQueryClient();
  const paste = useMutation(settingsMutations.webhook(client));
  const name = useMutation(settingsMutations.save(client));
  const remove = useMutation(settingsMutations.removeWebhook(client));
  const [value, setValue] = useState('');
  useUnsaved('the chat webhook', value.trim() !== '');
  const pending = paste.isPending || name.isPending || remove.isPending;
  const error = useLiveError(paste.error ?? name.error ?? remove.error);
  const save = () => {
    for (const mutation of [paste, name, remove]) mutation.reset();
    const given = value.trim();
    const done = { onSuccess: () => setValue('') };
    // A variable's name is a reference the settings hold; anything else is the URL itself, kept apart.
    if (given.startsWith('env:')) name.mutate({ notices: { webhook: given } }, done);
    else paste.mutate({ url: given }, done);
  };
  return (
    <form
      className="row"
      style={{ alignItems: 'flex-end', flexWrap: 'wrap', marginBottom: 10 }}
      onSubmit={(e) => {
        e.preventDefault();
        if (value.trim()) save();
      }}
    >
      <Field label={canStore ? "Chat webhook URL (kept encrypted), or env:NAME" : "env:NAME of a variable holding the chat webhook's URL"} error={error ? errorText(error) : undefined}>
        <input type={canStore ? 'password' : 'text'} autoComplete="off" value={value} onChange={(e) => setValue(e.target.value)} placeholder={canStore ? 'https://hooks.slack.com/services/...' : 'env:NOTICES_WEBHOOK'} />
      </Field>
      <button type="submit" disabled={pending || !value.trim()} style={{ marginBottom: 10 }}>{set ? 'Replace webhook' : 'Save webhook'}</button>
      {set ? <button type="button" disabled={pending} onClick={() => remove.mutate()} style={{ marginBottom: 10 }}>Remove webhook</button> : null}
    </form>
  );
}

/** Posts one notice now and says what the receiver answered: a webhook checked before a provider goes down at night. */
function TestNotice() {
  const test = useMutation(settingsMutations.testNotice());
  const testError = useLiveError(test.error);
  const result = test.data ?? (testError ? { delivered: false, message: errorText(testError) } : undefined);
  return (
    <>
      <button type="button" disabled={test.isPending} onClick={() => test.mutate()} style={{ marginBottom: 10 }}>
        {test.isPending ? 'Sending...' : 'Send a test notice'}
      </button>
      {result ? <div role="status" data-testid="notice-test" className={`notice ${result.delivered ? 'ok' : 'bad'}`}>{result.message}</div> : null}
    </>
  );
}
