import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Document, type Node, type Pair } from 'yaml';
import { invalidInput, type UserError } from '../cli/errors.js';

/** One problem in an input file, with the place a person should look. Lines and columns are 1-based. */
export interface Issue {
  file: string;
  line: number;
  col: number;
  /** Dotted path of the offending value, e.g. `policy.mode` or `fleet.ships[2]`; '' for the whole document. */
  path: string;
  message: string;
}

export type PathSegment = string | number;

/** `plans/x.yaml:7:13: policy.mode must be ...` */
export function formatIssue(issue: Issue): string {
  return `${issue.file}:${issue.line}:${issue.col}: ${issue.message}`;
}

/** `policy.maxUnitPrice.IRON`, `fleet.ships[2]` */
export function formatPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number' || /^\d+$/.test(s)) out += `[${s}]`;
    else out += out ? `.${s}` : s;
  }
  return out;
}

/**
 * A YAML document that remembers where each value came from, so that any problem found later
 * (by the schema, or by a semantic check) can be reported as file:line:column.
 */
export class LocatedYaml {
  readonly lineCounter = new LineCounter();
  readonly doc: Document.Parsed;
  /** YAML syntax errors (duplicate keys included); empty when the text parsed. */
  readonly syntaxIssues: Issue[];

  constructor(
    readonly text: string,
    /** The file name as the user should see it in messages. */
    readonly file: string,
  ) {
    this.doc = parseDocument(text, { lineCounter: this.lineCounter, prettyErrors: false, uniqueKeys: true });
    this.syntaxIssues = this.doc.errors.map((e) => {
      const pos = e.linePos?.[0] ?? this.lineCounter.linePos(e.pos[0]);
      const firstLine = e.message.split('\n')[0] ?? e.message;
      return { file, line: pos.line, col: pos.col, path: '', message: `YAML syntax error: ${firstLine.replace(/ at line \d+, column \d+:?$/, '')}` };
    });
  }

  /** The plain JavaScript value of the document (null for an empty file). */
  toJS(): unknown {
    return this.doc.toJS({ maxAliasCount: 1000 });
  }

  /** The node at `segments` and, for a mapping entry, its key/value pair. */
  private find(segments: readonly PathSegment[]): { node?: Node; pair?: Pair } {
    let node: unknown = this.doc.contents;
    let pair: Pair | undefined;
    for (const seg of segments) {
      if (isMap(node)) {
        pair = node.items.find((p) => String(isScalar(p.key) ? p.key.value : p.key) === String(seg)) as Pair | undefined;
        if (!pair) return {};
        node = pair.value;
      } else if (isSeq(node)) {
        node = node.items[Number(seg)];
        pair = undefined;
        if (node === undefined) return {};
      } else {
        return {};
      }
    }
    return { node: (node ?? undefined) as Node | undefined, pair };
  }

  /**
   * Line and column of the value at `segments` (or of its key, with `at: 'key'`). When the path
   * does not exist, the nearest existing ancestor is used; the document start as a last resort.
   */
  position(segments: readonly PathSegment[], at: 'value' | 'key' = 'value'): { line: number; col: number } {
    for (let n = segments.length; n >= 0; n--) {
      const { node, pair } = this.find(segments.slice(0, n));
      const keyNode = pair?.key as Node | undefined;
      const target = at === 'key' && n === segments.length && keyNode?.range ? keyNode : (node?.range ? node : keyNode);
      if (target?.range) return this.lineCounter.linePos(target.range[0]);
    }
    return { line: 1, col: 1 };
  }

  issue(segments: readonly PathSegment[], message: string, at: 'value' | 'key' = 'value'): Issue {
    const { line, col } = this.position(segments, at);
    return { file: this.file, line, col, path: formatPath(segments), message };
  }
}

/**
 * One UserError (INVALID_INPUT) listing every problem, sorted by position, one per line:
 * `The production spec plans/x.yaml is invalid (2 problems):\n  plans/x.yaml:7:13: ...`.
 */
export function issuesError(what: string, file: string, issues: Issue[], hint: string): UserError {
  const sorted = [...issues].sort((a, b) => a.line - b.line || a.col - b.col);
  const lines = sorted.map((i) => `  ${formatIssue(i)}`).join('\n');
  const count = sorted.length === 1 ? '1 problem' : `${sorted.length} problems`;
  // The hint goes on its own last line (UserError would join it to the message with a space).
  return invalidInput(`${what} ${file} is invalid (${count}):\n${lines}\n${hint}`, undefined, { file, issues: sorted });
}
