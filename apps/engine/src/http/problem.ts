/** RFC 9457 problem details, the body of every error response. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  /** The broken domain rule (409, 404, 400 from the decider). */
  rule?: string;
  /** Every failing field with its rule (400). */
  errors?: FieldProblem[];
  [extension: string]: unknown;
}

export interface FieldProblem {
  field: string;
  rule: string;
  message: string;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Stable problem type URIs; clients key on them (and on `rule`). */
export const problemType = (slug: string): string => `https://rapport.dev/problems/${slug}`;
