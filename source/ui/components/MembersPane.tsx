import { Box, Text } from 'ink';
import { useChatState } from '../hooks/use-chat.js';
import { safeLine } from '../text/safe-text.js';
import { fit } from '../text/text-width.js';
import type { GroupBoxProps } from './group-box-props.js';

/** The open group's members with their roles (on wide terminals; `m` opens the full dialog). */
export function MembersPane({ group, width, height }: GroupBoxProps) {
	const members = useChatState((state) => state.members[group]);
	const visible = Math.max(1, height - 3);
	const list = members ?? [];
	const shown = list.length > visible ? list.slice(0, visible - 1) : list;
	return (
		<Box
			width={width}
			height={height}
			flexDirection="column"
			borderStyle="round"
			borderColor="gray"
		>
			<Text bold> Members {members ? <Text dimColor>{members.length}</Text> : null}</Text>
			<Box flexDirection="column" height={visible} overflow="hidden">
				{members === undefined ? <Text dimColor> loading…</Text> : null}
				{shown.map((member) => (
					<Text key={member.name} wrap="truncate">
						{' '}
						<Text color={member.online ? 'green' : 'gray'}>{member.online ? '●' : '○'}</Text>{' '}
						{fit(safeLine(member.name), width - 13)}
						<Text color={member.role === 'user' ? 'gray' : 'yellow'}>
							{fit(member.role ?? '', 6, 'right')}
						</Text>
					</Text>
				))}
				{shown.length < list.length ? (
					<Text dimColor> … {list.length - shown.length} more (m)</Text>
				) : null}
			</Box>
		</Box>
	);
}
