import { Text } from 'ink';
import { memo } from 'react';
import type { Row, RowPart } from '../layout/message-layout.js';

function Part({ part }: { readonly part: RowPart }) {
	switch (part.style) {
		case 'time':
		case 'separator':
		case 'day':
			return <Text dimColor>{part.text}</Text>;
		case 'nick':
			return (
				<Text bold color={part.color}>
					{part.text}
				</Text>
			);
		case 'mention':
			return (
				<Text bold color="cyan">
					{part.text}
				</Text>
			);
		case 'mention-me':
			return (
				<Text bold color="black" backgroundColor="yellow">
					{part.text}
				</Text>
			);
		case 'text':
			return <Text>{part.text}</Text>;
	}
}

/** One screen line of the message view; rows are immutable and cached, so memo skips most. */
export const MessageRow = memo(function MessageRow({ row }: { readonly row: Row }) {
	return (
		<Text wrap="truncate">
			{row.parts.map((part, index) => (
				<Part key={index} part={part} />
			))}
		</Text>
	);
});
