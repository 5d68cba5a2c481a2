import { Text } from 'ink';
import { memo } from 'react';
import { useChatState } from '../hooks/use-chat.js';
import { activityKey, parseActivity, type ActivityLevel } from '../state/activity.js';

const colors: Record<ActivityLevel, { color: string; bold: boolean }> = {
	mention: { color: 'yellow', bold: true },
	direct: { color: 'magenta', bold: true },
	message: { color: 'white', bold: false },
};

/** `[Act: 1,3,5]`: the numbers (Alt+N) of conversations with unread messages; Alt+A goes there. */
export const ActivityList = memo(function ActivityList() {
	const key = useChatState(activityKey);
	const activity = parseActivity(key);
	if (activity.length === 0) return null;
	return (
		<Text>
			<Text dimColor>[Act: </Text>
			{activity.map((entry, index) => (
				<Text key={entry.number}>
					{index > 0 ? <Text dimColor>,</Text> : null}
					<Text {...colors[entry.level]}>{entry.number}</Text>
				</Text>
			))}
			<Text dimColor>] </Text>
		</Text>
	);
});
