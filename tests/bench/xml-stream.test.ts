import { describe, expect, it } from 'vitest';
import {
	child,
	decodeEntities,
	escapeXml,
	XmlStreamParser,
	type XmlEvent,
} from '../../bench/lib/xml-stream.js';

// A transcript shaped like what Prosody and ejabberd send: declaration, header, features, stanzas
// with entities, a '>' inside an attribute value, self-closing elements, then the close tag.
const transcript =
	"<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' id='a1' from='bench.local' version='1.0'>" +
	"<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms></stream:features>" +
	"<message type='chat' from='s0@bench.local/r' to='r0@bench.local/r' id='x&gt;1'><body>a &lt;b&gt; &amp; &#233;&#x263A; &quot;c&apos;</body></message>" +
	'<iq type="result" id="ping>1"/>' +
	'\n  <presence from="room@rooms.bench.local/m1"><x xmlns="http://jabber.org/protocol/muc#user"><status code="110"/></x></presence>' +
	'</stream:stream>';

function parseAll(chunks: readonly string[]): XmlEvent[] {
	const parser = new XmlStreamParser();
	return chunks.flatMap((chunk) => parser.push(chunk));
}

describe('XmlStreamParser', () => {
	const whole = parseAll([transcript]);

	it('parses the header, each stanza with its children and decoded text, and the close', () => {
		expect(whole.map((event) => event.kind)).toEqual([
			'stream-open',
			'stanza',
			'stanza',
			'stanza',
			'stanza',
			'stream-close',
		]);
		const [open, features, message, iq, presence] = whole;
		expect(open).toMatchObject({ kind: 'stream-open', attrs: { id: 'a1', version: '1.0' } });
		if (features?.kind !== 'stanza' || message?.kind !== 'stanza') throw new Error('not stanzas');
		const mechanisms = child(features.element, 'mechanisms', 'urn:ietf:params:xml:ns:xmpp-sasl');
		expect(mechanisms?.children.map((mechanism) => mechanism.text)).toEqual(['PLAIN']);
		expect(message.element.attrs).toMatchObject({ type: 'chat', id: 'x>1' });
		expect(child(message.element, 'body')?.text).toBe('a <b> & é☺ "c\'');
		expect(iq).toMatchObject({ element: { name: 'iq', attrs: { id: 'ping>1' }, children: [] } });
		expect(presence).toMatchObject({ element: { name: 'presence' } });
	});

	it('gives the same events when the stream is split at every offset', () => {
		for (let offset = 0; offset <= transcript.length; offset++) {
			const split = parseAll([transcript.slice(0, offset), transcript.slice(offset)]);
			expect(split, `split at ${offset}`).toEqual(whole);
		}
	});

	it('gives the same events fed one character at a time', () => {
		expect(parseAll([...transcript])).toEqual(whole);
	});

	it('starts afresh after a stream restart', () => {
		const parser = new XmlStreamParser();
		parser.push("<stream:stream id='1'><success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>");
		parser.reset();
		expect(parser.push("<stream:stream id='2'>")).toEqual([
			{ kind: 'stream-open', attrs: { id: '2' } },
		]);
	});

	it('refuses a mismatched close, a stanza before the header and an unknown entity, in one line', () => {
		expect(() => parseAll(['<stream:stream><a></b>'])).toThrow('XML: </b> closes <a>');
		expect(() => parseAll(['<message/>'])).toThrow('XML: <message> before <stream:stream>');
		expect(() => decodeEntities('&nbsp;')).toThrow('XML: unknown entity &nbsp;');
		expect(() => parseAll(['<stream:stream><!-- no -->'])).toThrow('comments');
	});

	it('escapes what it decodes', () => {
		const text = `<a href="x">'&'</a>`;
		expect(decodeEntities(escapeXml(text))).toBe(text);
	});
});
