// Moved to @rapport/application; kept while importers being edited elsewhere switch over (then removed).
export { EngineConfig, InvalidConfigError, validateEngineConfig, type EngineEnv } from '@rapport/application';
