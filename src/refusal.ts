// A request an admin (feeds, subscribers, watches) refuses, with every field at fault. The API
// answers it with its status and `{error, field, message, problems}`, the pages show each problem
// beside its field, the command line prints them and exits 1.

export interface Problem {
  /** the input field at fault, dotted (`selectors.item`); `body` for the input as a whole */
  field: string;
  message: string;
}

export class Refusal<Code extends string = string> extends Error {
  constructor(
    /** 400 bad input, 404 no such id, 409 in conflict with what is stored */
    readonly status: 400 | 404 | 409,
    readonly code: Code,
    readonly problems: Problem[],
  ) {
    super(problems.map((p) => `${p.field}: ${p.message}`).join('; '));
    this.name = new.target.name;
  }
}
