/** The tray's context menu as data, built from the gateway's state; rebuilt whenever that changes (Linux ignores tray clicks). */
import type { MenuItem } from './shell';

export interface TrayState {
  port: number | null;
  error: string | null;
  providers: { name: string; status: string }[];
  localOnly: boolean;
  startAtLogin: boolean;
}

export interface TrayActions {
  copyBaseUrl(): void;
  openDashboard(): void;
  toggleLocalOnly(): void;
  toggleStartAtLogin(): void;
  quit(): void;
}

export function trayTooltip(state: TrayState): string {
  if (state.port === null) return `Switchyard: not running${state.error ? ` (${state.error})` : ''}`;
  const down = state.providers.filter((p) => p.status === 'down');
  return `Switchyard on port ${state.port}: ${down.length === 0 ? 'healthy' : `${down.map((p) => p.name).join(', ')} down`}`;
}

export function trayMenu(state: TrayState, actions: TrayActions): MenuItem[] {
  const running = state.port !== null;
  return [
    { label: running ? `Running on port ${state.port}` : `Not running${state.error ? `: ${state.error}` : ''}`, enabled: false },
    ...state.providers.map((p) => ({ label: `${p.name}: ${p.status === 'up' ? 'healthy' : p.status}`, enabled: false })),
    { type: 'separator' },
    { label: 'Copy base URL', enabled: running, click: actions.copyBaseUrl },
    { label: 'Open dashboard', enabled: running, click: actions.openDashboard },
    { type: 'separator' },
    { label: 'Local only (pause routing to cloud)', type: 'checkbox', checked: state.localOnly, click: actions.toggleLocalOnly },
    { label: 'Start at login', type: 'checkbox', checked: state.startAtLogin, click: actions.toggleStartAtLogin },
    { type: 'separator' },
    { label: 'Quit Switchyard', click: actions.quit },
  ];
}
