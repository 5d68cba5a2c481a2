/**
 * Ink turns every frame into text in its Output class (ink/build/output.js): each line written is
 * tokenized into styled characters and each character measured, with caches made anew for every
 * frame. Paging through a conversation draws the same lines again and again, only at other rows,
 * so most of that work repeats what the frame before did: ~40% of a PageUp's frame (120 × 40).
 * This keeps one set of those caches for every frame, emptied when it has seen `maxLines` lines.
 *
 * Output is not among Ink's exports: it is reached by its file, beside Ink's entry point, so it is
 * the very module Ink renders with. Where Ink's shape is not the one this was written for, nothing
 * changes (the answer says so, and tests/ui/terminal/ink-output-caches.test.ts fails).
 */

/** The part of Ink's per-frame caches this relies on: its Maps, by the names Ink 6 gives them. */
type OutputCaches = {
	readonly widths: Map<string, unknown>;
	readonly blockWidths: Map<string, unknown>;
	readonly styledChars: Map<string, unknown>;
};

type OutputInstance = { caches: OutputCaches };
type OutputClass = { prototype: { get: (this: OutputInstance) => unknown } };

export type InkCachesResult = 'shared' | 'already shared' | `unchanged: ${string}`;

/** Styled lines kept (~10 KiB each at 120 columns) before the caches start afresh. */
export const defaultMaxLines = 2_000;

const installed = Symbol.for('korichat.sharedOutputCaches');

export async function shareInkOutputCaches(maxLines = defaultMaxLines): Promise<InkCachesResult> {
	let Output: OutputClass | undefined;
	try {
		const module = (await import(new URL('./output.js', import.meta.resolve('ink')).href)) as {
			default?: OutputClass;
		};
		Output = module.default;
	} catch (error) {
		return `unchanged: Ink's Output cannot be loaded (${String(error)})`;
	}
	const prototype = Output?.prototype as
		(OutputClass['prototype'] & { [installed]?: true }) | undefined;
	if (typeof prototype?.get !== 'function') return "unchanged: Ink's Output has no get()";
	if (prototype[installed]) return 'already shared';
	const frameText = prototype.get;
	let shared: OutputCaches | undefined;
	prototype.get = function (this: OutputInstance) {
		if (shared) {
			if (shared.styledChars.size > maxLines) {
				shared.styledChars.clear();
				shared.widths.clear();
				shared.blockWidths.clear();
			}
			this.caches = shared;
		} else if (isOutputCaches(this.caches)) {
			shared = this.caches;
		}
		return frameText.call(this);
	};
	prototype[installed] = true;
	return 'shared';
}

function isOutputCaches(value: unknown): value is OutputCaches {
	const caches = value as Partial<OutputCaches> | undefined;
	return (
		caches?.widths instanceof Map &&
		caches.blockWidths instanceof Map &&
		caches.styledChars instanceof Map
	);
}
