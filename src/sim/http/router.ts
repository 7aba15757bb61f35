import type { HttpMethod, Operation } from './openapi.js';

/**
 * Maps a request path (relative to the API base, e.g. "/my/ships/X-1/purchase") and method to the
 * spec's operation and its path parameters. Built from the spec's path templates, so the simulator
 * serves exactly the official paths. A segment trie: literal segments win over {params}.
 */

interface Node {
  literal: Map<string, Node>;
  param?: { name: string; node: Node };
  ops: Map<string, Operation>;
}

export type RouteMatch =
  | { kind: 'found'; operation: Operation; params: Record<string, string> }
  | { kind: 'method-not-allowed'; allowed: HttpMethod[] }
  | { kind: 'not-found' };

const newNode = (): Node => ({ literal: new Map(), ops: new Map() });

function segments(path: string): string[] {
  const parts = path.split('/');
  // "/a/b/" and "/a/b" are the same route; "" is the root "/".
  return parts.filter((p, i) => p !== '' || (i > 0 && i < parts.length - 1));
}

export class Router {
  private readonly root = newNode();

  constructor(operations: readonly Operation[]) {
    for (const op of operations) {
      let node = this.root;
      for (const seg of segments(op.template)) {
        const m = /^\{(.+)\}$/.exec(seg);
        if (m) {
          if (node.param && node.param.name !== m[1]) {
            throw new Error(`Conflicting path parameter names {${node.param.name}} and {${m[1]}} in ${op.template}`);
          }
          node.param ??= { name: m[1]!, node: newNode() };
          node = node.param.node;
        } else {
          let next = node.literal.get(seg);
          if (!next) node.literal.set(seg, (next = newNode()));
          node = next;
        }
      }
      node.ops.set(op.method, op);
    }
  }

  match(method: string, path: string): RouteMatch {
    const params: Record<string, string> = {};
    const node = this.walk(this.root, segments(path), 0, params);
    if (!node || node.ops.size === 0) return { kind: 'not-found' };
    const operation = node.ops.get(method.toUpperCase());
    if (!operation) return { kind: 'method-not-allowed', allowed: [...node.ops.keys()] as HttpMethod[] };
    return { kind: 'found', operation, params };
  }

  private walk(node: Node, segs: string[], i: number, params: Record<string, string>): Node | undefined {
    if (i === segs.length) return node.ops.size > 0 ? node : undefined;
    const seg = segs[i]!;
    const lit = node.literal.get(seg);
    if (lit) {
      const found = this.walk(lit, segs, i + 1, params);
      if (found) return found;
    }
    if (node.param && seg !== '') {
      let value: string;
      try {
        value = decodeURIComponent(seg);
      } catch {
        return undefined;
      }
      const found = this.walk(node.param.node, segs, i + 1, params);
      if (found) {
        params[node.param.name] = value;
        return found;
      }
    }
    return undefined;
  }
}
