import { Box, Text } from 'ink';
import type { ReactNode } from 'react';

const blanks = new Map<number, string>();

/** Spaces to paint under a dialog, so the screen behind it does not show through. */
function blank(width: number): string {
	let text = blanks.get(width);
	if (!text) {
		text = Array.from({ length: 200 }, () => ' '.repeat(Math.max(0, width))).join('\n');
		blanks.set(width, text);
	}
	return text;
}

export type DialogFrameProps = {
	readonly title: string;
	readonly width: number;
	/** Key hints at the bottom. */
	readonly footer?: string;
	/** The last failure, shown in place (the server's 403, 409…). */
	readonly error?: string;
	readonly busy?: string;
	readonly children: ReactNode;
};

/** A bordered, opaque box with a title, content, an error line and key hints. */
export function DialogFrame({ title, width, footer, error, busy, children }: DialogFrameProps) {
	return (
		<Box width={width} flexDirection="column" borderStyle="round" borderColor="cyan" paddingX={1}>
			<Box position="absolute" marginLeft={-1} width={width - 2} height="100%" overflow="hidden">
				<Text>{blank(width - 2)}</Text>
			</Box>
			<Text bold color="cyan" wrap="truncate">
				{title}
			</Text>
			<Box flexDirection="column" marginTop={1}>
				{children}
			</Box>
			{error ? (
				<Box marginTop={1}>
					<Text color="red">✗ {error}</Text>
				</Box>
			) : null}
			{busy ? <Text color="yellow">{busy}</Text> : null}
			{footer ? (
				<Box marginTop={1}>
					<Text dimColor>{footer}</Text>
				</Box>
			) : null}
		</Box>
	);
}
