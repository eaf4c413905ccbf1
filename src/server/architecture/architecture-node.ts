import type { ArchitectureCost, SearchSpace } from '../../core';

/** An architecture as resolvers pass it around: canonicalised by core, whether or not it is stored. */
export class ArchitectureNode {
  private costCache: ArchitectureCost | undefined;
  private archCache: string | undefined;

  constructor(
    readonly space: SearchSpace,
    readonly parsed: unknown,
    /** `space.id(parsed)`. */
    readonly hash: string,
  ) {}

  /** Parses and canonicalises text; throws core's InvalidArchitectureError. */
  static fromText(space: SearchSpace, text: string): ArchitectureNode {
    const parsed = space.parse(text);
    return new ArchitectureNode(space, parsed, space.id(parsed));
  }

  /** `space.format(parsed)`, the canonical text: formatted when first read (a batch of lookups may never read it). */
  get arch(): string {
    return (this.archCache ??= this.space.format(this.parsed));
  }

  /** GraphQL `Architecture.id`: the space's identity key. */
  get id(): string {
    return this.hash;
  }

  /** Key of the architecture loader. */
  get loaderKey(): string {
    return `${this.space.name}\u0000${this.hash}`;
  }

  /** Parameters and FLOPs for the space's default macro, computed once. */
  get cost(): ArchitectureCost {
    return (this.costCache ??= this.space.cost(this.parsed));
  }
}
