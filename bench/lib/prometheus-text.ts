/**
 * Reads Prometheus text exposition (what /metrics serves) into samples by name and labels:
 * enough for the bench, which reads a handful of unlabelled counters, histograms and gauges.
 */
export class PrometheusSamples {
	readonly #samples = new Map<string, number>();

	constructor(text: string) {
		for (const line of text.split('\n')) {
			if (line === '' || line.startsWith('#')) continue;
			const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)(?: \d+)?$/.exec(line);
			if (!match) throw new Error(`not a Prometheus sample line: ${line.slice(0, 120)}`);
			this.#samples.set(match[1]! + normalLabels(match[2] ?? ''), Number(match[3]));
		}
	}

	/** The sample's value; throws when the scrape has none (a renamed metric must not read as 0). */
	get(name: string, labels: Record<string, string> = {}): number {
		const key = name + labelKey(labels);
		const value = this.#samples.get(key);
		if (value === undefined) throw new Error(`/metrics has no sample ${key}`);
		return value;
	}
}

function normalLabels(text: string): string {
	const pairs = [...text.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(
		([, name, value]) => [name!, value!] as const,
	);
	return labelKey(Object.fromEntries(pairs));
}

function labelKey(labels: Record<string, string>): string {
	const names = Object.keys(labels).sort();
	return names.length === 0
		? ''
		: `{${names.map((name) => `${name}="${labels[name]}"`).join(',')}}`;
}
