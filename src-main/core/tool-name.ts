/** The name every session, evidence package and report carries as the tool that made it. */
export const TOOL_NAME = 'AppRights Workbench';
