/**
 * A cursor over one statement's tokens with the small vocabulary every grammar rule uses: keywords
 * (case-insensitive), identifiers and qualified names, literals, `KEY = value` properties, and
 * Snowflake-style syntax errors at the token that did not fit.
 *
 * Owns: bind substitution (`?` and `:n` become string literals from the execute options) and the
 * literal value forms of property values (numbers with a sign, TRUE/FALSE, NULL, identifiers,
 * parenthesised lists and option groups such as `ENCRYPTION = (TYPE = 'SNOWFLAKE_SSE')`).
 */

import type { Name, Properties, Value } from './ast';
import { SqlErrors, syntaxError } from './errors';
import type { Token } from './lexer';

export class TokenReader {
  private index = 0;
  private readonly tokens: Token[];

  constructor(tokens: readonly Token[], binds: readonly (string | null)[] | undefined) {
    let positional = 0;
    this.tokens = tokens.map((token) => {
      if (token.kind !== 'bind') {
        return token;
      }
      const position = token.value === '?' ? positional++ : Number(token.value.slice(1)) - 1;
      if (!binds || position < 0 || position >= binds.length) {
        throw SqlErrors.bindNotSet(token.line, token.column, token.value);
      }
      const value = binds[position];
      return value === null || value === undefined ? { ...token, kind: 'word', value: 'NULL' } : { ...token, kind: 'string', value };
    });
  }

  peek(ahead = 0): Token {
    return this.tokens[Math.min(this.index + ahead, this.tokens.length - 1)] as Token;
  }

  next(): Token {
    const token = this.peek();
    if (this.index < this.tokens.length - 1) {
      this.index++;
    }
    return token;
  }

  atEnd(): boolean {
    return this.peek().kind === 'eof';
  }

  /** A syntax error at the current token (or the given one). */
  error(token: Token = this.peek()): Error {
    return syntaxError(token.line, token.column, token.kind === 'eof' ? '<EOF>' : token.text);
  }

  isWord(word: string, ahead = 0): boolean {
    const token = this.peek(ahead);
    return token.kind === 'word' && token.value.toUpperCase() === word;
  }

  /** Whether the next tokens are these words (one word may contain spaces: 'COMPUTE POOL'). */
  isWords(words: string): boolean {
    return words.split(' ').every((word, offset) => this.isWord(word, offset));
  }

  acceptWords(words: string): boolean {
    if (!this.isWords(words)) {
      return false;
    }
    for (let i = 0; i < words.split(' ').length; i++) {
      this.next();
    }
    return true;
  }

  expectWords(words: string): void {
    for (const word of words.split(' ')) {
      if (!this.isWord(word)) {
        throw this.error();
      }
      this.next();
    }
  }

  isPunct(mark: string, ahead = 0): boolean {
    const token = this.peek(ahead);
    return token.kind === 'punct' && token.value === mark;
  }

  acceptPunct(mark: string): boolean {
    if (this.isPunct(mark)) {
      this.next();
      return true;
    }
    return false;
  }

  expectPunct(mark: string): void {
    if (!this.acceptPunct(mark)) {
      throw this.error();
    }
  }

  /** An identifier: unquoted → upper case, `"quoted"` → as written. */
  identifier(): string {
    const token = this.peek();
    if (token.kind === 'word') {
      this.next();
      return token.value.toUpperCase();
    }
    if (token.kind === 'quoted') {
      this.next();
      return token.value;
    }
    throw this.error();
  }

  /** An identifier keeping the case it was written in (template variable names). */
  rawIdentifier(): string {
    const token = this.peek();
    if (token.kind === 'word' || token.kind === 'quoted') {
      this.next();
      return token.value;
    }
    throw this.error();
  }

  isIdentifierStart(): boolean {
    const kind = this.peek().kind;
    return kind === 'word' || kind === 'quoted';
  }

  /** `[db.[schema.]]name`. A string literal is also accepted where Snowflake allows it (`'name'`). */
  qualifiedName(): Name {
    const parts = [this.identifier()];
    while (parts.length < 3 && this.isPunct('.')) {
      this.next();
      parts.push(this.identifier());
    }
    if (this.isPunct('.')) {
      throw this.error();
    }
    return { parts };
  }

  string(): string {
    const token = this.peek();
    if (token.kind !== 'string') {
      throw this.error();
    }
    this.next();
    return token.value;
  }

  isString(): boolean {
    return this.peek().kind === 'string';
  }

  integer(): number {
    const negative = this.acceptPunct('-');
    const token = this.peek();
    if (token.kind !== 'number' || !/^[0-9]+$/.test(token.value)) {
      throw this.error();
    }
    this.next();
    return negative ? -Number(token.value) : Number(token.value);
  }

  /** A property or argument value. */
  value(): Value {
    const token = this.peek();
    if (token.kind === 'string') {
      this.next();
      return { kind: 'string', value: token.value };
    }
    if (token.kind === 'number' || ((this.isPunct('-') || this.isPunct('+')) && this.peek(1).kind === 'number')) {
      const sign = this.isPunct('-') ? '-' : '';
      if (token.kind === 'punct') this.next();
      const number = this.next();
      return { kind: 'number', value: Number(`${sign}${number.value}`), text: `${sign}${number.value}` };
    }
    if (token.kind === 'word') {
      const upper = token.value.toUpperCase();
      if (upper === 'TRUE' || upper === 'FALSE') {
        this.next();
        return { kind: 'boolean', value: upper === 'TRUE' };
      }
      if (upper === 'NULL') {
        this.next();
        return { kind: 'null' };
      }
    }
    if (token.kind === 'word' || token.kind === 'quoted') {
      const name = this.qualifiedName();
      return { kind: 'identifier', name, raw: token.value };
    }
    if (this.acceptPunct('(')) {
      if (this.acceptPunct(')')) {
        return { kind: 'list', items: [] };
      }
      if ((this.peek().kind === 'word' || this.peek().kind === 'quoted') && this.isPunct('=', 1)) {
        const properties = this.properties(() => this.isPunct(')'));
        this.expectPunct(')');
        return { kind: 'options', properties };
      }
      const items: Value[] = [this.value()];
      while (this.acceptPunct(',')) {
        items.push(this.value());
      }
      this.expectPunct(')');
      return { kind: 'list', items };
    }
    throw this.error();
  }

  /** Whether the next tokens are `KEY =` (a property assignment). */
  isProperty(): boolean {
    return this.peek().kind === 'word' && this.isPunct('=', 1);
  }

  /** `KEY = value` pairs (optionally comma-separated) until `stop()` or a token that is not one. */
  properties(stop: () => boolean = () => false): Properties {
    const result = new Map<string, Value>();
    while (!stop() && this.isProperty()) {
      const key = this.next().value.toUpperCase();
      this.expectPunct('=');
      if (this.isPunct('=')) {
        // The EXECUTE JOB SERVICE docs print `REPLICAS = = <num>`; Snowflake rejects it, and so do we.
        throw this.error();
      }
      result.set(key, this.value());
      this.acceptPunct(',');
    }
    return result;
  }
}
