/** Every evaluator the workbench ships, by the name templates use. */
import type { EvaluatorDef } from './proposal.js';
import { afterDecline, afterRevoke, preConsentAccess, preConsentRequest } from './consent.js';
import { declineOption, policyPrompt, preTickedConsent } from './consent-ui.js';
import { accessFrequency, backgroundAccess, identifierCollection } from './collection.js';
import { aheadOfNeed, bundledRequest, forcedPermission, frequentReRequest, updatePermissionChange } from './permissions.js';
import { associatedStart, selfStart, silentInstall } from './starts.js';
import { necessaryPi, policyPurposes, policySdks, policyTwoLists } from './policy.js';
import { staticAutostart } from './static-review.js';
import { exploreAdClose, explorePersonalisation, explorePolicyDepth, exploreTargetFound } from './explore.js';

export type { EvaluatorDef, Outcome } from './proposal.js';

export const EVALUATORS: ReadonlyMap<string, EvaluatorDef> = new Map(([
  preConsentAccess, preConsentRequest, afterDecline, afterRevoke, declineOption, preTickedConsent, policyPrompt,
  accessFrequency, backgroundAccess, identifierCollection, forcedPermission, frequentReRequest, aheadOfNeed,
  bundledRequest, updatePermissionChange, selfStart, associatedStart, silentInstall, staticAutostart, policySdks, necessaryPi,
  policyTwoLists, policyPurposes, explorePolicyDepth, exploreTargetFound, explorePersonalisation, exploreAdClose,
] as EvaluatorDef[]).map((e) => [e.name, e]));
