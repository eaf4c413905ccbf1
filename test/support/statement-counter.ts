import type { Logger } from 'typeorm';

/** A TypeORM logger that counts the SQL statements sent, so tests can prove batching. */
export class StatementCounter implements Logger {
  count = 0;
  statements: string[] = [];

  logQuery(query: string): void {
    this.count += 1;
    this.statements.push(query.replace(/\s+/g, ' ').slice(0, 4000));
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}

  /** Statements sent while `work` runs. */
  async during(work: () => Promise<unknown>): Promise<string[]> {
    const start = this.statements.length;
    await work();
    return this.statements.slice(start);
  }
}
