/**
 * An upstream error's message said on a line already about its provider (a provider's row in the
 * health report, `doctor`'s line for it). errors.ts starts each message with the provider's name,
 * which a line about several providers' attempts needs; a line that starts with the name does not.
 */
export function withoutProviderName(provider: string, message: string): string;
export function withoutProviderName(provider: string, message: string | null): string | null;
export function withoutProviderName(provider: string, message: string | null): string | null {
  return message?.startsWith(`${provider}: `) ? message.slice(provider.length + 2) : message;
}
