/**
 * A provider's headers, in its form: each sent with every request to it as given or, for a value
 * that names a key (`env:NAME`, `secret:NAME`), as the key it names: Azure OpenAI's classic
 * `api-key`, a proxy's `authorization`, Cloudflare Access's service token. Where the gateway keeps
 * keys (the desktop app), a key typed as a header's value is kept encrypted and the header names it
 * (ticked by default for the headers that carry keys). Rows are kept as typed and read on Save: an
 * empty row is dropped, a name no header can have or one given twice is named under it, and nothing
 * is sent.
 */
import { Field } from '../../ui/parts';

export interface HeaderRow {
  name: string;
  value: string;
  /** Keep its value encrypted (where the gateway can); unset: as the header's name suggests. */
  keep?: boolean;
}

const HEADER_NAME = /^[A-Za-z0-9-]{1,128}$/;
/** Headers that carry a key, as the gateway's config check knows them (config/validate.ts; kept in step by test/renderer/header-keys.test.ts). */
export const CREDENTIAL_HEADER = /^(authorization|proxy-authorization|api-key|x-api-key|cf-access-client-secret)$/i;
const REFERENCE = /^(env|secret):/;

const typedValue = (row: HeaderRow) => row.value.trim() !== '' && !REFERENCE.test(row.value.trim());
const keeps = (row: HeaderRow, canStore: boolean) => canStore && typedValue(row) && (row.keep ?? CREDENTIAL_HEADER.test(row.name.trim()));
const plainKey = (row: HeaderRow, canStore: boolean) => CREDENTIAL_HEADER.test(row.name.trim()) && typedValue(row) && !keeps(row, canStore);

export const headerRows = (headers: Record<string, string> | undefined): HeaderRow[] => Object.entries(headers ?? {}).map(([name, value]) => ({ name, value }));

/**
 * The headers as the config takes them (undefined: none), the keys typed for them to keep (by
 * header; the gateway puts each one's reference in its place), and each problem by the path the
 * API's errors use.
 */
export function readHeaders(rows: HeaderRow[], canStore: boolean): { headers: Record<string, string> | undefined; keys: Record<string, string> | undefined; typos: Record<string, string> } {
  const headers: Record<string, string> = {};
  const keys: Record<string, string> = {};
  const typos: Record<string, string> = {};
  const seen = new Set<string>();
  for (const row of rows) {
    const name = row.name.trim();
    if (name === '' && row.value.trim() === '') continue;
    const key = name.toLowerCase();
    if (!HEADER_NAME.test(name)) typos[`headers.${name}`] = name === '' ? 'a header needs a name' : `"${name}" is not a header name (letters, digits and -)`;
    else if (seen.has(key)) typos[`headers.${name}`] = `${name} is given twice (header names are the same in any case)`;
    seen.add(key);
    if (keeps(row, canStore)) keys[name] = row.value;
    else headers[name] = row.value.trim();
  }
  return { headers: Object.keys(headers).length > 0 ? headers : undefined, keys: Object.keys(keys).length > 0 ? keys : undefined, typos };
}

export function HeadersField({ rows, errors, canStore, onChange }: { rows: HeaderRow[]; errors: Record<string, string | undefined>; canStore: boolean; onChange: (rows: HeaderRow[]) => void }) {
  const set = (i: number, row: Partial<HeaderRow>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...row } : r)));
  return (
    <details style={{ marginBottom: 10 }} open={rows.length > 0 || undefined}>
      <summary>Headers</summary>
      <p className="muted">Sent with every request. A value written <code>env:NAME</code> (or <code>secret:NAME</code>) is sent as the key it names, and is never kept in the config: Azure&apos;s <code>api-key</code>, a proxy&apos;s <code>authorization</code>.{canStore ? ' A key typed here can be kept encrypted instead.' : ''}</p>
      {rows.map((row, i) => (
        <div key={i} style={{ display: 'grid', gridTemplateColumns: 'minmax(0, 1fr) minmax(0, 1.4fr) auto', gap: 10, alignItems: 'end' }}>
          <Field label={`Header ${i + 1}`} error={errors[`headers.${row.name.trim()}`]}>
            <input value={row.name} placeholder="api-key" aria-label={`Header ${i + 1}`} onChange={(e) => set(i, { name: e.target.value })} />
          </Field>
          <Field label="Its value, or env:NAME" error={errors[`headerKeyValues.${row.name.trim()}`]}>
            <input value={row.value} type={keeps(row, canStore) ? 'password' : 'text'} autoComplete="off" placeholder="env:AZURE_OPENAI_API_KEY" aria-label={`Value of header ${i + 1}`} onChange={(e) => set(i, { value: e.target.value })} />
          </Field>
          <button type="button" aria-label={`Remove header ${i + 1}`} onClick={() => onChange(rows.filter((_, j) => j !== i))} style={{ marginBottom: 12 }}>Remove</button>
          {canStore && typedValue(row) ? (
            <label className="row" style={{ gridColumn: '1 / -1', gap: 4, marginTop: -6 }}>
              <input type="checkbox" checked={keeps(row, canStore)} onChange={(e) => set(i, { keep: e.target.checked })} aria-label={`Keep the key in row ${i + 1} encrypted`} />
              a key: keep it encrypted on Save (the header names it, the config never holds it)
            </label>
          ) : null}
          {plainKey(row, canStore) ? <p className="muted" role="status" style={{ gridColumn: '1 / -1', marginTop: -6 }}>A key typed here is kept in the config as plain text, and shown: {canStore ? 'tick "keep it encrypted", or' : ''} put it in a variable and write env:NAME.</p> : null}
        </div>
      ))}
      <button type="button" onClick={() => onChange([...rows, { name: '', value: '' }])}>Add a header</button>
    </details>
  );
}
