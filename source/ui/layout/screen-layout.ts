/** Where everything goes on a terminal of `columns` × `rows`; pure, so resizes are just a new call. */
export type ScreenLayout = {
	/** Rows used: one fewer than the terminal, so Ink never has to clear the screen between frames. */
	readonly height: number;
	readonly sideWidth: number;
	readonly usersHeight: number;
	readonly groupsHeight: number;
	/** 0 when there is no room (or no group open). */
	readonly membersWidth: number;
	readonly centerWidth: number;
	readonly inputHeight: number;
	readonly conversationHeight: number;
	/** The message view inside the conversation box. */
	readonly messageWidth: number;
	readonly messageHeight: number;
	/** Columns for the text in the input box. */
	readonly inputWidth: number;
	/** Wide enough for words (roles) rather than symbols in the side panes. */
	readonly roomy: boolean;
};

export const minimumColumns = 60;
const maxInputRows = 5;

export function screenLayout(
	size: { columns: number; rows: number },
	options: { membersPane: boolean; inputRows: number },
): ScreenLayout {
	const columns = Math.max(size.columns, 20);
	const height = Math.max(size.rows - 1, 10);
	const sideWidth = columns >= 100 ? 26 : columns >= 80 ? 22 : 18;
	const membersWidth = options.membersPane && columns >= 110 ? 24 : 0;
	const centerWidth = Math.max(10, columns - sideWidth - membersWidth);
	const body = height - 1;
	const usersHeight = Math.max(4, Math.ceil(body / 2));
	const inputHeight = Math.min(maxInputRows, Math.max(1, options.inputRows)) + 2;
	const conversationHeight = Math.max(5, body - inputHeight);
	return {
		height,
		sideWidth,
		usersHeight,
		groupsHeight: Math.max(4, body - usersHeight),
		membersWidth,
		centerWidth,
		inputHeight,
		conversationHeight,
		// Borders (2), padding (2); header and its rule (2).
		messageWidth: Math.max(8, centerWidth - 4),
		messageHeight: Math.max(1, conversationHeight - 4),
		inputWidth: Math.max(8, centerWidth - 6),
		roomy: sideWidth >= 22,
	};
}

export { maxInputRows };

/** The first visible index of a list of `count` rows shown `visible` at a time, keeping `selected` in view. */
export function listWindowStart(count: number, selected: number, visible: number): number {
	if (count <= visible || selected < 0) return 0;
	const start = selected - Math.floor(visible / 2);
	return Math.max(0, Math.min(count - visible, start));
}
