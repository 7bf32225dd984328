/**
 * The honeypot: a text field people never see (moved off screen by the style sheet, skipped by the
 * keyboard, labelled "leave this empty" for screen readers) that form-filling robots fill in.
 * Named like a field robots like to fill.
 */
export const HONEYPOT_FIELD = 'website';

export const honeypotFilled = (value: unknown): boolean => typeof value === 'string' && value.trim() !== '';
