// Porting note: tsconfig resolves modules the node10 way, which ignores package.json "exports", so graphql-ws 6's
// `graphql-ws/use/ws` entry has no types here. Node and vite resolve it through "exports"; this maps its types.
declare module 'graphql-ws/use/ws' {
  export * from 'graphql-ws/dist/use/ws';
}
