import { mongoTestClient } from './mongo-test-client';

describe('mongoTestClient (no server needed: the client is only configured)', () => {
  it("given compose's single-node replica set from the host, then it connects directly to the seed", () => {
    expect(mongoTestClient('mongodb://localhost:27017').options.directConnection).toBe(true);
    expect(mongoTestClient('mongodb://localhost:27017/rapport?replicaSet=rs0').options.directConnection).toBe(true);
  });

  it('given several hosts or an explicit setting, then the URI decides', () => {
    expect(mongoTestClient('mongodb://a:27017,b:27017/?replicaSet=rs0').options.directConnection).toBe(false);
    expect(mongoTestClient('mongodb://localhost:27017/?directConnection=false').options.directConnection).toBe(false);
  });
});
