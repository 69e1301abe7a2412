/** What a run id may be: the planner names a run after the id of the command event that started it, so ids are checked here. */

/** Lower-case letters, digits and dashes, 6–81 characters: safe as a file name, a URL segment and a log field. */
export const RUN_ID_PATTERN = /^[a-z0-9][a-z0-9-]{5,80}$/;

export const isRunId = (id: string): boolean => RUN_ID_PATTERN.test(id);

/** The rule in words, for error messages. */
export const RUN_ID_RULE = '6–81 characters of a-z, 0-9 and "-", starting with a letter or digit';
