// Moved to @rapport/application; kept for importers not yet switched over (removed once none is left).
export { PersonalDataReader, UNREADABLE_TEXT, type PersonalDataView } from '@rapport/application';
