/** The default longest `message` the library passes on or sends, in UTF-16 code units. */
export const DEFAULT_MAX_MESSAGE_LENGTH = 1024;

/**
 * Cuts a progress message down to `max` UTF-16 code units, ending it with `…` when it was longer,
 * without splitting a surrogate pair. Shorter messages come back unchanged (the same string).
 *
 * @internal
 */
export const truncateMessage = (message: string, max: number): string => {
  if (message.length <= max) return message;
  let end = max - 1;
  const last = message.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--; // a high surrogate: keep its pair together
  return `${message.slice(0, end)}…`;
};
