/** What a person sees while `ask` works through its stages (panel, sidebar chat, @onchain). */
const STAGE_TEXT: Record<string, string> = {
  context: 'Reading the schema…',
  generate: 'Writing SQL…',
  validate: 'Checking the SQL…',
  execute: 'Running the query…',
  repair: 'Repairing the SQL…',
};

export function stageText(stage: string, detail?: string): string {
  const text = STAGE_TEXT[stage] ?? `${stage}…`;
  return detail ? `${text} ${detail}` : text;
}
