// Moved to @rapport/application; kept while importers being edited elsewhere switch over (then removed).
export { COMPLAINT_SLA_POLICY, EngineConfigModule } from '@rapport/application';
