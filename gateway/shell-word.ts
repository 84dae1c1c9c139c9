/**
 * Text as one word of a command line the dashboard shows to paste into a terminal of this machine:
 * a path with a space (macOS's data dir is under "Application Support") or a quote stays one word.
 */
export function shellWord(text: string, platform: NodeJS.Platform = process.platform): string {
  if (/^[\w@%+=:,./-]+$/.test(text)) return text;
  return platform === 'win32' ? `"${text}"` : `'${text.replaceAll("'", `'\\''`)}'`;
}
