/**
 * common/ runs in main (Node) and in the renderer (a browser): it may use only what both provide. The WHATWG URL
 * parser is one of them, and the only one common/ needs; neither Node's types nor the DOM's are loaded here, so
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
  username: string;
  toString(): string;
}
