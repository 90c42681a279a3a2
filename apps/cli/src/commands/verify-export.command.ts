import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DEV_PUBLIC_KEY_FILE, publicKeyFromPem, verifyExport } from '@rapport/audit';
import { Command, CommandRunner, Option } from 'nest-commander';
import { note, printResult, progressBar, type OutputOptions } from '../output/cli-output';

interface VerifyExportOptions extends OutputOptions {
  publicKey?: string;
}

/**
 * Offline: needs only the file and the public key (`--public-key FILE`, else
 * `EXPORT_PUBLIC_KEY`, else the development key's public half in the data dir).
 */
@Command({
  name: 'verify-export',
  arguments: '<file>',
  description: 'Check a signed export offline: signature, digest and hash chains; exits 1 when altered',
})
export class VerifyExportCommand extends CommandRunner {
  async run([file]: string[], options: VerifyExportOptions): Promise<void> {
    if (!file || !existsSync(file)) throw new Error(`file not found: ${file}`);
    const keyPem = this.trustedKeyPem(options);
    if (!keyPem)
      note(options, 'no trusted public key given (--public-key): checking against the key embedded in the file');
    const bar = progressBar(options, 'verify-export', statSync(file).size, 'bytes');
    const verdict = await verifyExport(createReadStream(file), {
      publicKey: keyPem ? publicKeyFromPem(keyPem) : undefined,
      onProgress: (b) => bar.update(b),
    });
    bar.stop();
    printResult(
      options,
      verdict.ok
        ? { ok: true, events: verdict.events, streams: verdict.streams, trustedKey: verdict.trustedKey }
        : verdict,
      () =>
        verdict.ok
          ? [
              `ok: ${verdict.events} events in ${verdict.streams} streams, signature valid (${verdict.trustedKey} key), hash chains intact`,
            ]
          : [`ALTERED: ${verdict.line === undefined ? '' : `line ${verdict.line}: `}${verdict.reason}`],
    );
    if (!verdict.ok) process.exitCode = 1;
  }

  private trustedKeyPem(options: VerifyExportOptions): string | undefined {
    if (options.publicKey) return readFileSync(options.publicKey, 'utf8');
    if (process.env.EXPORT_PUBLIC_KEY) return process.env.EXPORT_PUBLIC_KEY.replace(/\\n/g, '\n');
    const devKey = join(process.env.DATA_DIR ?? './data', DEV_PUBLIC_KEY_FILE);
    return existsSync(devKey) ? readFileSync(devKey, 'utf8') : undefined;
  }

  @Option({ flags: '-p, --public-key <file>', description: 'PEM file of the trusted public key' })
  parsePublicKey(value: string): string {
    return value;
  }

  @Option({ flags: '--json', description: 'print the verdict as JSON' })
  parseJson(): boolean {
    return true;
  }

  @Option({ flags: '-q, --quiet', description: 'print only the verdict' })
  parseQuiet(): boolean {
    return true;
  }
}
