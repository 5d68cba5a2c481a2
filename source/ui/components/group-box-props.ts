/** Props of a box that shows one group within a given size (the members pane and dialogs). */
export type GroupBoxProps = {
	readonly group: string;
	readonly width: number;
	readonly height: number;
};
