/**
 * The Claude model used when none is set: one constant for the core, the CLI
 * and the extension (package.json's `onchainSql.model` default is checked
 * against it by test/unit/ext-manifest.test.ts). A light module: no SDK import.
 * A current Claude Sonnet (the SDK's Model type lists it; claude-sonnet-4-5 is deprecated there).
 */
export const DEFAULT_CLAUDE_MODEL = 'claude-sonnet-5-5';
