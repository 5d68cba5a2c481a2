import { Console } from 'node:console';
import { Writable } from 'node:stream';

const methods = ['log', 'info', 'warn', 'error', 'debug', 'trace', 'dir', 'table'] as const;

/**
 * Sends console output through `interject` rather than straight onto the screen the UI draws
 * (Ink's own patchConsole is off when it renders with `debug: true`); returns the undo.
 */
export function captureConsole(interject: (text: string) => void): () => void {
	const sink = new Writable({
		write(chunk: Buffer | string, _encoding, done) {
			interject(String(chunk).replaceAll('\n', '\r\n'));
			done();
		},
	});
	const captured = new Console({ stdout: sink, stderr: sink });
	const saved = methods.map((name) => [name, console[name]] as const);
	for (const name of methods) {
		(console as unknown as Record<string, unknown>)[name] = captured[name].bind(captured);
	}
	return () => {
		for (const [name, method] of saved) {
			(console as unknown as Record<string, unknown>)[name] = method;
		}
	};
}
