/** A usage row's text: an answer's (also its logged body) and what else its model wrote, for an estimate of its tokens. */
import { estimateTokens, quickTokenCount } from './tokens';

/** Characters kept of each; beyond it, characters are only counted. */
const TEXT_KEPT = 1024 * 1024;

/** Text kept up to TEXT_KEPT characters and only counted beyond: what an estimate of its tokens reads. */
export class KeptText {
  text = '';
  private overflow = 0;

  add(text: string): void {
    if (this.text.length < TEXT_KEPT) this.text += text;
    else this.overflow += text.length;
  }

  tokens(): Promise<number> | number {
    return this.overflow === 0 ? estimateTokens(this.text) : Math.round(quickTokenCount(this.text) * ((this.text.length + this.overflow) / this.text.length));
  }
}
