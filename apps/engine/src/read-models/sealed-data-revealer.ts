// Moved to @rapport/application; kept for importers not yet switched over (removed once none is left).
export { SealedDataRevealer } from '@rapport/application';
