import { NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import {
  ClvBacktestNotFittable,
  ClvBacktestQueryInvalid,
  NothingToBacktest,
} from '@rapport/scoring/clv-backtest-errors';
import { toProblem } from './problem-mapping';
import { RequestValidationError } from './request-validation.error';

// The back-test throws its own errors since it left the engine; its HTTP answers are the ones it gave
// when it threw the engine's validation error and Nest's HTTP exceptions.
describe('problem mapping of the CLV back-test refusals', () => {
  it('given a query parameter breaking a rule, then 400 validation naming the field and rule', () => {
    const problem = toProblem(
      new ClvBacktestQueryInvalid('holdoutEnd', 'not_in_future', 'holdoutEnd must not be after now'),
    );
    expect(problem).toEqual(
      toProblem(
        new RequestValidationError([
          { field: 'holdoutEnd', rule: 'not_in_future', message: 'holdoutEnd must not be after now' },
        ]),
      ),
    );
    expect(problem).toMatchObject({
      status: 400,
      type: 'https://rapport.dev/problems/validation',
      errors: [{ field: 'holdoutEnd', rule: 'not_in_future', message: 'holdoutEnd must not be after now' }],
    });
  });

  it('given no customer with a purchase, then 404 not-found with the reason', () => {
    const error = new NothingToBacktest();
    expect(toProblem(error)).toEqual(toProblem(new NotFoundException(error.message)));
    expect(toProblem(error)).toMatchObject({ status: 404, title: 'Not Found', detail: error.message });
  });

  it('given a calibration period the model cannot fit, then 422 with the reason', () => {
    const error = new ClvBacktestNotFittable('3 customers had a purchase by calibrationEnd; at least 10 are needed');
    expect(toProblem(error)).toEqual(toProblem(new UnprocessableEntityException(error.message)));
    expect(toProblem(error)).toMatchObject({ status: 422, title: 'Unprocessable Content', detail: error.message });
  });
});
