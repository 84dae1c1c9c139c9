/** Start at login on Linux: an XDG autostart entry (Electron's login item settings cover macOS and Windows only). */
import { join } from 'node:path';

export function autostartPath(home: string, xdgConfigHome: string | undefined): string {
  return join(xdgConfigHome || join(home, '.config'), 'autostart', 'switchyard.desktop');
}

export function autostartEntry(execPath: string): string {
  const quoted = /\s/.test(execPath) ? `"${execPath}"` : execPath;
  return ['[Desktop Entry]', 'Type=Application', 'Name=Switchyard', 'Comment=Local model gateway', `Exec=${quoted} --hidden`, 'X-GNOME-Autostart-enabled=true', 'Terminal=false', ''].join('\n');
}
