/** CHAT/1.0 status codes and their reason phrases (PROTOCOL.md §2). */
export const Status = {
	ok: 200,
	created: 201,
	accepted: 202,
	badRequest: 400,
	unauthorized: 401,
	forbidden: 403,
	notFound: 404,
	methodNotAllowed: 405,
	requestTimeout: 408,
	conflict: 409,
	payloadTooLarge: 413,
	tooManyRequests: 429,
	headerFieldsTooLarge: 431,
	internalError: 500,
	serviceUnavailable: 503,
	versionNotSupported: 505,
} as const;

export type StatusCode = (typeof Status)[keyof typeof Status];

export const reasonPhrase: Readonly<Record<StatusCode, string>> = {
	200: 'OK',
	201: 'Created',
	202: 'Accepted',
	400: 'Bad Request',
	401: 'Unauthorized',
	403: 'Forbidden',
	404: 'Not Found',
	405: 'Method Not Allowed',
	408: 'Request Timeout',
	409: 'Conflict',
	413: 'Payload Too Large',
	429: 'Too Many Requests',
	431: 'Request Header Fields Too Large',
	500: 'Internal Server Error',
	503: 'Service Unavailable',
	505: 'Version Not Supported',
};

/** Responses after which the server closes the connection (PROTOCOL.md §2). */
export function closesConnection(status: number): boolean {
	return status === 408 || status === 413 || status === 431;
}
