/** The snake_case column that stores a camelCase metric or value name (`validAcc` → `valid_acc`). */
export function columnName(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
