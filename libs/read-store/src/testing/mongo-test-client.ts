import { MongoClient } from 'mongodb';

/**
 * The client the MongoDB integration suites use. Compose's MongoDB is a one-node replica set that
 * advertises itself as `mongodb:27017`, a name only the compose network resolves: from the host the
 * driver must talk to the seed directly (`directConnection=true`) instead of discovering the set.
 * A URI that lists several hosts, uses SRV or says `directConnection` itself is taken as it is.
 */
export function mongoTestClient(uri: string): MongoClient {
  const hosts = uri.replace(/^mongodb:\/\//, '').split(/[/?]/)[0] ?? '';
  const single = uri.startsWith('mongodb://') && !hosts.includes(',');
  const explicit = /[?&]directConnection=/i.test(uri);
  return new MongoClient(
    uri,
    single && !explicit
      ? { directConnection: true, serverSelectionTimeoutMS: 10_000 }
      : { serverSelectionTimeoutMS: 10_000 },
  );
}
