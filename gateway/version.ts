/** The version this build reports (the banner, the CLI's usage, /health), from package.json. */
import packageJson from '../package.json';

export const VERSION: string = packageJson.version;
