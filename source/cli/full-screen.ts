/**
 * Alternate screen, bracketed paste, the window title saved (XTWINOPS 22: the UI sets it to the
 * unread count); and back: the title restored, paste off, cursor shown, main screen.
 */
const enter = '\u001b[?1049h\u001b[?2004h\u001b[22;0t\u001b[H\u001b[2J';
const leave = '\u001b[23;0t\u001b[?2004l\u001b[?25h\u001b[?1049l';

export type FullScreen = { readonly restore: () => void };

/**
 * Switches the terminal to the alternate screen and makes sure it comes back on every way out:
 * a normal return, `process.exit`, an uncaught error or a signal.
 */
export function enterFullScreen(
	stdout: NodeJS.WriteStream = process.stdout,
	stdin: NodeJS.ReadStream = process.stdin,
): FullScreen {
	let active = true;
	const restore = () => {
		if (!active) return;
		active = false;
		process.off('exit', restore);
		process.off('uncaughtException', crash);
		process.off('unhandledRejection', crash);
		try {
			if (stdin.isTTY) stdin.setRawMode(false);
		} catch {
			// The terminal may already be gone (hang-up); nothing left to restore.
		}
		try {
			stdout.write(leave);
		} catch {
			// Same.
		}
	};
	const crash = (error: unknown) => {
		restore();
		process.stderr.write(
			`korichat: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
		);
		process.exit(1);
	};
	process.on('exit', restore);
	process.on('uncaughtException', crash);
	process.on('unhandledRejection', crash);
	stdout.write(enter);
	return { restore };
}
