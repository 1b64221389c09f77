// JSON.parse in Node 20 often does not say where a file is broken ("Unexpected token '}', … is
// not valid JSON"). This scanner only finds the first error's place and what was expected
// there, so a person can open the file at the right line.

export interface JsonErrorPosition {
  offset: number;
  line: number;
  column: number;
  expected: string;
}

class Scanner {
  pos = 0;
  constructor(readonly text: string) {}

  fail(expected: string): never {
    throw new LocatedError(this.pos, expected);
  }

  ws(): void {
    while (this.pos < this.text.length && ' \t\n\r'.includes(this.text[this.pos]!)) this.pos++;
  }

  literal(word: string): void {
    if (this.text.startsWith(word, this.pos)) this.pos += word.length;
    else this.fail('a value');
  }

  value(depth: number): void {
    if (depth > 512) this.fail('less deeply nested data');
    this.ws();
    const c = this.text[this.pos];
    if (c === '{') return this.object(depth);
    if (c === '[') return this.array(depth);
    if (c === '"') return this.string();
    if (c === 't') return this.literal('true');
    if (c === 'f') return this.literal('false');
    if (c === 'n') return this.literal('null');
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
    this.fail('a value');
  }

  object(depth: number): void {
    this.pos++;
    this.ws();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return;
    }
    for (;;) {
      this.ws();
      if (this.text[this.pos] !== '"') this.fail('a property name in double quotes');
      this.string();
      this.ws();
      if (this.text[this.pos] !== ':') this.fail("':'");
      this.pos++;
      this.value(depth + 1);
      this.ws();
      const c = this.text[this.pos];
      if (c === '}') {
        this.pos++;
        return;
      }
      if (c !== ',') this.fail("',' or '}'");
      this.pos++;
    }
  }

  array(depth: number): void {
    this.pos++;
    this.ws();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return;
    }
    for (;;) {
      this.value(depth + 1);
      this.ws();
      const c = this.text[this.pos];
      if (c === ']') {
        this.pos++;
        return;
      }
      if (c !== ',') this.fail("',' or ']'");
      this.pos++;
    }
  }

  string(): void {
    this.pos++;
    for (;;) {
      const c = this.text[this.pos];
      if (c === undefined) this.fail('the closing \'"\' of a string');
      if (c === '"') {
        this.pos++;
        return;
      }
      if (c < ' ') this.fail('no line break or control character inside a string');
      if (c === '\\') {
        const e = this.text[this.pos + 1];
        if (e !== undefined && '"\\/bfnrt'.includes(e)) this.pos += 2;
        else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(this.text.slice(this.pos + 2, this.pos + 6))) this.pos += 6;
        else this.fail('a valid escape sequence');
      } else {
        this.pos++;
      }
    }
  }

  number(): void {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(this.text.slice(this.pos));
    if (!match) this.fail('a number');
    this.pos += match[0].length;
  }
}

class LocatedError {
  constructor(
    readonly offset: number,
    readonly expected: string,
  ) {}
}

/** Line and column (both from 1) of an offset in text. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - (before.lastIndexOf('\n') + 1) + 1;
  return { line, column };
}

/** Where text stops being JSON, or undefined when it is valid JSON. */
export function findJsonError(text: string): JsonErrorPosition | undefined {
  const scanner = new Scanner(text);
  try {
    scanner.value(0);
    scanner.ws();
    if (scanner.pos < text.length) scanner.fail('the end of the file');
    return undefined;
  } catch (e) {
    if (!(e instanceof LocatedError)) throw e;
    const offset = Math.min(e.offset, text.length);
    return { offset, ...lineAndColumn(text, offset), expected: e.expected };
  }
}
