import { planCli } from './cli-arguments';

describe('planCli', () => {
  it('reads help, version and unknown commands before anything opens', () => {
    expect(planCli([])).toEqual({ kind: 'help' });
    expect(planCli(['--help'])).toEqual({ kind: 'help' });
    expect(planCli(['help', 'import'])).toEqual({ kind: 'help' });
    expect(planCli(['import', '-h'])).toEqual({ kind: 'help' });
    expect(planCli(['--version'])).toEqual({ kind: 'version' });
    expect(planCli(['-V'])).toEqual({ kind: 'version' });
    expect(planCli(['imprt', 'file.csv'])).toEqual({ kind: 'unknown', command: 'imprt' });
    expect(planCli(['imprt', '--help'])).toEqual({ kind: 'unknown', command: 'imprt' });
    expect(planCli(['import', 'file.csv', '--json'])).toEqual({ kind: 'run' });
  });
});
