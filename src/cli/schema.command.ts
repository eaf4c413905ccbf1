import { writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { printNashubSchema } from '../server/print-schema';

/** `nashub schema`: print the GraphQL SDL (or write it to a file). */
export function schemaCommand(): Command {
  return new Command('schema')
    .description('print the GraphQL schema (SDL); --out writes it to a file')
    .option('--out <file>', 'write here instead of stdout')
    .action(async (flags: { out?: string }) => {
      const sdl = await printNashubSchema();
      if (flags.out) writeFileSync(flags.out, sdl);
      else process.stdout.write(sdl);
    });
}
