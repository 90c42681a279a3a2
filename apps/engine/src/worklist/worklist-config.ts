// Moved to @rapport/application; kept while importers being edited elsewhere switch over (then removed).
export { HEALTH_CONFIG, WORKLIST_POLICY, healthConfigOf, worklistPolicyOf } from '@rapport/application';
