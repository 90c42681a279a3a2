// Moved to @rapport/application; kept while importers being edited elsewhere switch over (then removed).
export { CLOCK, systemClock, type Clock } from '@rapport/application';
