/** Where a provider down, a fallback or a budget spent is told: set where the gateway starts, so only said here; a webhook can be tried from here. */
import { useMutation } from '@tanstack/react-query';
import { settingsMutations } from '../../api/queries/config';
import type { SettingsView } from '../../api/types';

const CHANGES = 'on each change (a provider down or back, falling back, a budget at 80% or spent, a full disk, a pull ended)';

export function Notices({ to }: { to: SettingsView['server']['notices'] }) {
  const hook = to.webhookHost && <>posted to the webhook at <code>{to.webhookHost}</code></>;
  if (to.desktop || hook) {
    return (
      <>
        <p data-testid="notices">Notices: {to.desktop ? <>this app's notifications{hook && <>, and {hook}</>}</> : hook}, {CHANGES}.</p>
        {hook ? <TestNotice /> : null}
      </>
    );
  }
  return (
    <p data-testid="notices" className="muted">
      Notices: none here. Started with <code>SWITCHYARD_WEBHOOK_URL</code> set to a chat's incoming webhook (Slack, Discord, Mattermost...), <code>switchyard serve</code> posts a provider down, a fallback or a budget spent to it; <code>switchyard notices test</code> checks it.
    </p>
  );
}

/** Posts one notice now and says what the receiver answered: a webhook checked before a provider goes down at night. */
function TestNotice() {
  const test = useMutation(settingsMutations.testNotice());
  const result = test.data ?? (test.isError ? { delivered: false, message: test.error.message } : undefined);
  return (
    <>
      <button type="button" disabled={test.isPending} onClick={() => test.mutate()} style={{ marginBottom: 10 }}>
        {test.isPending ? 'Sending...' : 'Send a test notice'}
      </button>
      {result ? <div role="status" data-testid="notice-test" className={`notice ${result.delivered ? 'ok' : 'bad'}`}>{result.message}</div> : null}
    </>
  );
}
