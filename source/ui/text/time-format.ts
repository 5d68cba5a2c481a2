const weekdays = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const months = [
	'January',
	'February',
	'March',
	'April',
	'May',
	'June',
	'July',
	'August',
	'September',
	'October',
	'November',
	'December',
];

const two = (value: number) => String(value).padStart(2, '0');

/** `HH:MM`, local time. */
export function clockTime(date: Date): string {
	return Number.isNaN(date.getTime())
		? '--:--'
		: `${two(date.getHours())}:${two(date.getMinutes())}`;
}

/** The local calendar day, as a key (`2026-11-25`). */
export function dayKey(date: Date): string {
	if (Number.isNaN(date.getTime())) return 'unknown';
	return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}`;
}

/** `Tuesday 25 November 2026`, local; the same words in every locale. */
export function longDay(date: Date): string {
	if (Number.isNaN(date.getTime())) return 'Unknown date';
	return `${weekdays[date.getDay()]} ${date.getDate()} ${months[date.getMonth()]} ${date.getFullYear()}`;
}
