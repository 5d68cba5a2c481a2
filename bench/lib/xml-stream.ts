/**
 * A streaming parser for the XML an XMPP server sends a bench client: the `<stream:stream>` header,
 * then whole stanzas. Hand-written for that restricted set (no DTD, CDATA or comments, which
 * RFC 6120 §11.1 forbids in a stream): it carries unconsumed bytes between chunks, so a stanza may
 * arrive split at any offset, and it does no I/O.
 */
export type XmlElement = {
	readonly name: string;
	readonly attrs: Readonly<Record<string, string>>;
	readonly children: XmlElement[];
	text: string;
};

export type XmlEvent =
	| { readonly kind: 'stream-open'; readonly attrs: Readonly<Record<string, string>> }
	| { readonly kind: 'stanza'; readonly element: XmlElement }
	| { readonly kind: 'stream-close' };

const entities: Readonly<Record<string, string>> = {
	lt: '<',
	gt: '>',
	amp: '&',
	quot: '"',
	apos: "'",
};

export function decodeEntities(text: string): string {
	if (!text.includes('&')) return text;
	return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, name: string) => {
		if (name.startsWith('#x')) return String.fromCodePoint(parseInt(name.slice(2), 16));
		if (name.startsWith('#')) return String.fromCodePoint(parseInt(name.slice(1), 10));
		const value = entities[name];
		if (value === undefined) throw new Error(`XML: unknown entity ${whole}`);
		return value;
	});
}

export function escapeXml(text: string): string {
	return text
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&apos;');
}

const attributePattern = /([^\s=/]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

function parseTag(body: string): { name: string; attrs: Record<string, string> } {
	const nameEnd = body.search(/[\s/]|$/);
	const name = body.slice(0, nameEnd);
	if (name === '') throw new Error(`XML: a tag without a name: <${body}>`);
	const attrs: Record<string, string> = {};
	attributePattern.lastIndex = nameEnd;
	for (let match = attributePattern.exec(body); match; match = attributePattern.exec(body)) {
		attrs[match[1]!] = decodeEntities(match[2] ?? match[3] ?? '');
	}
	return { name, attrs };
}

/** The index of the `>` that ends the tag opened at `start`, skipping quoted values; -1 if not yet. */
function tagEnd(text: string, start: number): number {
	let quote = '';
	for (let index = start + 1; index < text.length; index++) {
		const char = text[index]!;
		if (quote) {
			if (char === quote) quote = '';
		} else if (char === '"' || char === "'") quote = char;
		else if (char === '>') return index;
	}
	return -1;
}

export class XmlStreamParser {
	#buffer = '';
	#open: XmlElement[] = [];
	#streamOpen = false;

	/** Feeds a chunk; returns the events it completes (a partial tag or text waits for more). */
	push(chunk: string): XmlEvent[] {
		const events: XmlEvent[] = [];
		const text = this.#buffer + chunk;
		let position = 0;
		for (;;) {
			const lt = text.indexOf('<', position);
			if (lt === -1) break;
			if (lt > position) this.#text(text.slice(position, lt));
			const gt = tagEnd(text, lt);
			if (gt === -1) {
				position = lt;
				break;
			}
			this.#tag(text.slice(lt + 1, gt), events);
			position = gt + 1;
		}
		// Text with no tag after it yet may end in half an entity: keep it for the next chunk.
		this.#buffer = text.slice(position);
		return events;
	}

	#text(raw: string): void {
		const current = this.#open.at(-1);
		if (current) current.text += decodeEntities(raw);
		else if (raw.trim() !== '') throw new Error(`XML: text outside a stanza: ${raw.slice(0, 40)}`);
	}

	#tag(body: string, events: XmlEvent[]): void {
		if (body.startsWith('?')) return; // the <?xml …?> declaration
		if (body.startsWith('!')) throw new Error('XML: comments, CDATA and DTDs are not allowed');
		if (body.startsWith('/')) {
			const name = body.slice(1).trim();
			if (this.#open.length === 0) {
				if (name !== 'stream:stream' || !this.#streamOpen)
					throw new Error(`XML: </${name}> closes nothing`);
				this.#streamOpen = false;
				events.push({ kind: 'stream-close' });
				return;
			}
			const element = this.#open.pop()!;
			if (element.name !== name) throw new Error(`XML: </${name}> closes <${element.name}>`);
			if (this.#open.length === 0) events.push({ kind: 'stanza', element });
			return;
		}
		const selfClosing = body.endsWith('/');
		const { name, attrs } = parseTag(selfClosing ? body.slice(0, -1) : body);
		if (name === 'stream:stream' && this.#open.length === 0) {
			this.#streamOpen = true;
			events.push({ kind: 'stream-open', attrs });
			return;
		}
		if (!this.#streamOpen) throw new Error(`XML: <${name}> before <stream:stream>`);
		const element: XmlElement = { name, attrs, children: [], text: '' };
		const parent = this.#open.at(-1);
		if (parent) parent.children.push(element);
		if (selfClosing) {
			if (!parent) events.push({ kind: 'stanza', element });
		} else this.#open.push(element);
	}

	/** A stream restart (after SASL success) starts from a fresh header. */
	reset(): void {
		this.#buffer = '';
		this.#open = [];
		this.#streamOpen = false;
	}
}

/** The first child named `name` (optionally with that xmlns). */
export function child(element: XmlElement, name: string, xmlns?: string): XmlElement | undefined {
	return element.children.find(
		(candidate) =>
			candidate.name === name && (xmlns === undefined || candidate.attrs.xmlns === xmlns),
	);
}
