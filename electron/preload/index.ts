/** The preload exposes named desktop actions only; none are needed before the desktop shell issue. */
import { contextBridge } from 'electron';

contextBridge.exposeInMainWorld('switchyardDesktop', Object.freeze({}));
