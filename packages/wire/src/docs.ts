/**
 * AWS's documentation strings, as the SDK ships them (HTML fragments), turned into the Markdown that Swagger UI
 * renders. Text that only restates a member's name ("The node type." on NodeType) is dropped: saying nothing is
 * better than saying the name twice.
 */
import TurndownService from 'turndown';

const turndown = new TurndownService({ codeBlockStyle: 'fenced', bulletListMarker: '-', headingStyle: 'atx' });

const letters = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
const plain = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>')
  .replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&').replace(/\s+/g, ' ').trim();

/** Markdown for an AWS documentation string, or undefined when there is none or it only repeats `name`. */
export function docText(html: string | undefined, name?: string): string | undefined {
  if (!html) return undefined;
  const text = plain(html);
  if (text === '') return undefined;
  if (name && [letters(name), `the${letters(name)}`].includes(letters(text))) return undefined;
  return turndown.turndown(html).trim() || undefined;
}

/** The first sentence of an operation's documentation, as plain text (Swagger UI shows summaries unformatted). */
export function summaryOf(html: string | undefined): string | undefined {
  if (!html) return undefined;
  const text = plain(html);
  const end = text.search(/\.(\s|$)/);
  return (end < 0 ? text : text.slice(0, end + 1)) || undefined;
}
