/**
 * The checklist template format (YAML, validated here; the editor's JSON Schema is generated from it): a
 * versioned list of campaign items, each citing its clauses, saying how it is observed (AUTO, ASSISTED,
 * MANUAL), which evaluator proposes its status and with what parameters, and what the tester does per stage.
 */
import { z } from 'zod';
import { builtOnce } from '../built-once.js';

/**
 * The stages a guided test walks through, in order. The headless run performs the automatable ones; the
 * evaluators read stage boundaries from the `stage.started` marks the run or the tester sets.
 */
export const STAGE_IDS = ['static', 'first-launch', 'policy', 'decline', 'agree', 'permissions', 'explore', 'background', 'screen-off', 'revoke', 'self-start', 'reboot', 'manual', 'review'] as const;
export type StageId = (typeof STAGE_IDS)[number];

export const CLAUSE = /^(164-\d+(\.\d+)?|191-\d+(\.\d+)?|T\/TAF 07[78]\.\d+|GB\/T 41391(-2022)?( [\w.]+)?|26号文|14号文|292号文)$/

/** The schema of a template file, built when the first template is read. */
export const templateSchema = builtOnce(buildTemplateSchema);

export type ChecklistTemplate = z.infer<ReturnType<typeof templateSchema>>;
export type ChecklistItem = ChecklistTemplate['items'][number];
export type TemplateParameter = NonNullable<ChecklistItem['evaluator']>['params'][string];

function buildTemplateSchema() {
  const localizedText = z.object({ zh: z.string().min(1).max(4000), en: z.string().min(1).max(4000) }).strict()
    .describe('Text in Simplified Chinese (zh) and English (en)');

  const stageSchema = z.object({
    id: z.enum(STAGE_IDS).describe('One of the stages the workbench knows how to run or guide'),
    title: localizedText,
    instructions: localizedText.describe('What the tester does in this stage (shown beside the live screen)'),
    automated: z.boolean().default(false).describe('The headless run performs this stage on its own'),
  }).strict();

  /** A parameter's value and where it comes from: a practice threshold must say it is not law. */
  const parameterSchema = z.object({
    value: z.union([z.number(), z.string().max(200), z.boolean(), z.array(z.string().max(200)).max(200)]),
    basis: z.enum(['law', 'standard', 'practice', 'tool']).describe('law: a legal text; standard: a lab standard; practice: industry practice without an official text; tool: a choice of this workbench'),
    note: localizedText.optional(),
  }).strict();

  const itemSchema = z.object({
    id: z.string().regex(/^\d{3}-\d+(\.\d+)?$/, 'an item id such as 164-1.1'),
    clauses: z.array(z.string().regex(CLAUSE, 'a clause such as 164-1, 191-3.1, T/TAF 078.6, GB/T 41391 or 292号文')).min(1).max(20),
    title: localizedText,
    criterion: localizedText,
    observation: z.enum(['AUTO', 'ASSISTED', 'MANUAL']),
    evaluator: z.object({
      name: z.string().regex(/^[a-z][a-z0-9-]*$/).describe('An evaluator the workbench ships (see the editor completion)'),
      params: z.record(z.string(), parameterSchema).default({}),
    }).strict().nullable().default(null),
    stages: z.array(z.enum(STAGE_IDS)).min(1).max(STAGE_IDS.length),
    guidance: z.partialRecord(z.enum(STAGE_IDS), localizedText).default({}).describe('What the tester looks for, per stage'),
    evidence: z.array(z.string().max(80)).max(20).default([]).describe('The kinds of evidence the item needs'),
    severity: z.enum(['high', 'medium', 'low']),
    toVerify: z.boolean().default(false).describe('The source text of this item was not checked against the original yet'),
    appliesWhen: localizedText.optional().describe('When the item applies at all (otherwise the tester marks it not applicable)'),
  }).strict();

  const sourceSchema = z.object({
    id: z.string().max(80),
    title: z.string().max(400),
    url: z.string().max(400).optional(),
    verified: z.boolean().default(true),
  }).strict();

  const templateSchema = z.object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'lower-case letters, digits and dashes'),
    version: z.string().regex(/^\d+\.\d+(\.\d+)?$/, 'a version such as 1.0.0'),
    title: localizedText,
    description: localizedText.optional(),
    sources: z.array(sourceSchema).max(50).default([]),
    stages: z.array(stageSchema).min(1).max(STAGE_IDS.length),
    items: z.array(itemSchema).min(1).max(500),
  }).strict();
  return templateSchema;
}
