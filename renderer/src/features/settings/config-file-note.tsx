/**
 * Said above the pages that edit the config when a file owns it (`serve --config FILE`): the file is
 * applied again at each start and reload, over any change made here (which the history keeps).
 */
import { useQuery } from '@tanstack/react-query';
import { configQueries } from '../../api/queries/config';

export function ConfigFileNote() {
  const file = useQuery(configQueries.settings()).data?.server.configFile;
  if (!file) return null;
  return (
    <div className="notice warn" role="note" data-testid="config-file">
      This gateway applies <code className="long-text">{file}</code> at each start and reload: a change made here lasts until then (the
      config history keeps it, to restore). To keep one, put it in that file too: <a href="/admin/api/config" download="switchyard-config.json">export the config</a> as it is now.
    </div>
  );
}
