import { InvalidConfigError, validateEngineConfig } from './engine-config';

describe('engine configuration', () => {
  it('defaults to the embedded SQLite store under ./data on port 3000', () => {
    expect(validateEngineConfig({})).toMatchObject({
      PORT: 3000,
      DATA_DIR: './data',
      EVENT_STORE: 'sqlite',
      READ_STORE: 'sqlite',
      KEY_STORE: 'sqlite',
      SQLITE_SYNCHRONOUS: 'FULL',
      PROJECTOR_ROLE: 'in-process',
      BODY_LIMIT: 1024 * 1024,
    });
  });

  it('reads and converts given values', () => {
    expect(validateEngineConfig({ PORT: '8080', SQLITE_SYNCHRONOUS: 'normal', BODY_LIMIT: '2048', EVENT_STORE: 'memory' })).toMatchObject({
      PORT: 8080,
      SQLITE_SYNCHRONOUS: 'NORMAL',
      BODY_LIMIT: 2048,
      EVENT_STORE: 'memory',
    });
  });

  it('stops with one message naming every bad variable', () => {
    const attempt = () => validateEngineConfig({ PORT: 'eighty', EVENT_STORE: 'postgres', MASTER_KEY: 'short', MONGODB_URI: 'http://x' });
    expect(attempt).toThrow(InvalidConfigError);
    expect(attempt).toThrow(/PORT="eighty"/);
    expect(attempt).toThrow(/EVENT_STORE="postgres"/);
    expect(attempt).toThrow(/MASTER_KEY/);
    expect(attempt).toThrow(/MONGODB_URI/);
  });

  it('requires the server addresses of the adapters it names', () => {
    expect(() => validateEngineConfig({ EVENT_STORE: 'esdb' })).toThrow(/EVENTSTORE_CONNECTION_STRING: required/);
    expect(() => validateEngineConfig({ READ_STORE: 'mongodb' })).toThrow(/MONGODB_URI: required/);
    expect(validateEngineConfig({ EVENT_STORE: 'esdb', EVENTSTORE_CONNECTION_STRING: 'esdb://localhost:2113?tls=false' }).EVENT_STORE).toBe('esdb');
  });
});
