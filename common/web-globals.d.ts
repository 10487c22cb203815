/**
 * common/ runs in main (Node) and in the renderer (a browser): it may use only what both provide. The WHATWG URL
 * parser and its query parameters are that, and all common/ needs; neither Node's types nor the DOM's are loaded here, so
 * nothing else of either side can slip in.
 */
declare class URL {
  constructor(url: string, base?: string | URL);
  static canParse(url: string, base?: string): boolean;
  hash: string;
  host: string;
  hostname: string;
  href: string;
  readonly origin: string;
  password: string;
  pathname: string;
  port: string;
  protocol: string;
  search: string;
  readonly searchParams: URLSearchParams;
  username: string;
  toString(): string;
}

declare class URLSearchParams {
  constructor(init?: string | Record<string, string> | URLSearchParams);
  readonly size: number;
  append(name: string, value: string): void;
  get(name: string): string | null;
  getAll(name: string): string[];
  has(name: string): boolean;
  toString(): string;
  [Symbol.iterator](): IterableIterator<[string, string]>;
}
