// Reading and editing the CoderFlow CLI config as text, with jsonc-parser: where a broken file
// breaks, and setting a field so that every other byte stays as it was. Loaded by cliConfigRead.ts
// only when needed (see textTools there).
import { getLocation, parse as parseJsonc, parseTree, type JSONPath, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import { AuthError } from '../errors';
import * as l10n from '@vscode/l10n';

/** One field a write sets: a path into the document and its new text value. */
export interface FieldChange {
  path: JSONPath;
  value: string;
}

/**
 * What a JSON reader expected where jsonc-parser found the first error, by its ParseErrorCode
 * (1 InvalidSymbol … 16 InvalidCharacter, jsonc-parser's main.d.ts; a const enum, so not importable
 * here); 6 CommaExpected depends on the container, see findJsonError. A function, not a table: the
 * texts are looked up in the l10n bundle when used.
 */
function expectedText(code: number): string {
  switch (code) {
    case 1: case 4: return l10n.t('a value');
    case 2: case 13: return l10n.t('a number');
    case 3: return l10n.t('a property name in double quotes');
    case 5: return "':'";
    case 7: return "'}'";
    case 8: return "']'";
    case 9: return l10n.t('the end of the file');
    case 10: case 11: return l10n.t('no comment (JSON has none)');
    case 12: return l10n.t('the closing \'"\' of a string');
    case 14: return l10n.t('a valid \\u escape');
    case 15: return l10n.t('a valid escape sequence');
    case 16: return l10n.t('no line break or control character inside a string');
    default: return l10n.t('valid JSON');
  }
}

/** Why `text`, the content of `file`, is not JSON, and where (line and column from 1) when that is known. */
export function jsonSyntaxError(file: string, text: string): { error: AuthError; line?: number; column?: number } {
  const where = findJsonError(text);
  const place = where ? l10n.t(' at line {0}, column {1}: expected {2}', where.line, where.column, where.expected) : '';
  return {
    error: new AuthError('bad-input', l10n.t('The CoderFlow CLI config {0} is not valid JSON{1}.', file, place), {
      fix: l10n.t('Fix the file in an editor, or run coder login again. CoderFlow does not change a file it cannot read.'),
      ...(where ? { detail: `line ${where.line}, column ${where.column}` } : {}),
    }),
    ...(where ? { line: where.line, column: where.column } : {}),
  };
}

/**
 * Where text stops being JSON (line and column from 1) and what was expected there. Node's
 * JSON.parse often does not say; jsonc-parser, told to allow neither comments nor trailing
 * commas, reads strict JSON and gives the offset.
 */
export function findJsonError(text: string): { line: number; column: number; expected: string } | undefined {
  const errors: ParseError[] = [];
  parseJsonc(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (!first) return undefined;
  const offset = Math.min(first.offset, text.length);
  const code: number = first.error;
  let expected = expectedText(code);
  // 6: ParseErrorCode.CommaExpected.
  if (code === 6) expected = typeof getLocation(text, offset).path.at(-1) === 'number' ? l10n.t("',' or ']'") : l10n.t("',' or '}'");
  const before = text.slice(0, offset);
  return { line: before.split('\n').length, column: offset - (before.lastIndexOf('\n') + 1) + 1, expected };
}

/** The file's own layout for what an edit inserts: its indentation unit and line ends. */
interface Layout {
  unit: string;
  eol: string;
}

function layoutOf(text: string): Layout {
  return { unit: /\n([ \t]+)\S/.exec(text)?.[1] ?? '  ', eol: text.includes('\r\n') ? '\r\n' : '\n' };
}

/** `{ "a": { "b": value } }` for the path ["a", "b"]: what a missing part of a path becomes. */
function nested(path: JSONPath, value: string): unknown {
  return path.reduceRight<unknown>((inner, step) => {
    const outer: Record<string, unknown> = {};
    // A step named __proto__ is a property name, not the prototype.
    Object.defineProperty(outer, String(step), { value: inner, enumerable: true, writable: true, configurable: true });
    return outer;
  }, value);
}

/** JSON text of a value laid out as the file is, each new line starting at `base`. */
function pretty(value: unknown, layout: Layout, base: string): string {
  return JSON.stringify(value, null, layout.unit).split('\n').join(layout.eol + base);
}

/** The last property of that name, as JSON.parse (and so the CLI) reads a name given twice. */
function propertyValue(object: JsonNode, name: string | number): JsonNode | undefined {
  let found: JsonNode | undefined;
  for (const property of object.children ?? []) if (property.children?.[0]?.value === name) found = property.children[1];
  return found;
}

/** The white space a line starts with, the line being the one that holds `offset`. */
function indentationAt(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? '';
}

/**
 * Sets one text field in the JSON text. An existing value is replaced where it stands; a missing
 * field (and any missing object on its path) is added at the end of the nearest existing object,
 * indented as the file is. Nothing else in the text changes (jsonc-parser's `modify` with
 * formatting would re-lay out the whole line it inserts on, a neighbouring value included, and
 * brings its formatter into the bundle).
 */
function setField(text: string, path: JSONPath, value: string, layout: Layout): string {
  const root = parseTree(text);
  if (!root || (root.type === 'object' && (root.children ?? []).length === 0)) {
    // Nothing there yet, or `{}`: the object is written out whole.
    const at = root ?? { offset: text.length, length: 0 };
    return `${text.slice(0, at.offset)}${pretty(nested(path, value), layout, '')}${text.slice(at.offset + at.length)}${root ? '' : layout.eol}`;
  }
  let node = root;
  let depth = 0;
  for (; depth < path.length && node.type === 'object'; depth++) {
    const child = propertyValue(node, path[depth]);
    if (!child) break;
    node = child;
  }
  // The field is there: its value is replaced where it stands.
  if (depth === path.length) return `${text.slice(0, node.offset)}${JSON.stringify(value)}${text.slice(node.offset + node.length)}`;
  // A value that is no object is in the way (the schema refuses such a file before): no change,
  // which the check after the edit refuses.
  if (node.type !== 'object') return text;
  const property = (base: string) => `${JSON.stringify(String(path[depth]))}: ${pretty(nested(path.slice(depth + 1), value), layout, base)}`;
  const objectText = text.slice(node.offset, node.offset + node.length);
  const last = node.children?.at(-1);
  if (!objectText.includes('\n')) {
    // An object on one line stays on one line.
    const at = last ? last.offset + last.length : node.offset + 1;
    return `${text.slice(0, at)}${last ? ', ' : ''}${JSON.stringify(String(path[depth]))}: ${JSON.stringify(nested(path.slice(depth + 1), value))}${text.slice(at)}`;
  }
  if (last) {
    const childIndent = indentationAt(text, last.offset);
    const at = last.offset + last.length;
    return `${text.slice(0, at)},${layout.eol}${childIndent}${property(childIndent)}${text.slice(at)}`;
  }
  const childIndent = indentationAt(text, node.offset) + layout.unit;
  const at = node.offset + 1;
  return `${text.slice(0, at)}${layout.eol}${childIndent}${property(childIndent)}${text.slice(at)}`;
}

/**
 * The file's text (without a byte order mark) with the changes made in place: only the changed values (and what an inserted
 * field needs) differ, byte for byte. Undefined when the edit would not say what was asked.
 */
export function editText(original: string, changes: readonly FieldChange[]): string | undefined {
  let text = original.trim() === '' ? '' : original;
  const layout = layoutOf(text);
  for (const change of changes) text = setField(text, change.path, change.value, layout);
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return undefined;
  }
  for (const change of changes) if (ownPath(document, change.path) !== change.value) return undefined;
  return text;
}

function ownPath(value: unknown, path: JSONPath): unknown {
  let here = value;
  for (const step of path) {
    if (typeof here !== 'object' || here === null || !Object.prototype.hasOwnProperty.call(here, step)) return undefined;
    here = (here as Record<string | number, unknown>)[step];
  }
  return here;
}

