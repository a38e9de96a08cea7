package io.heady.manager.api;

/**
 * Tells who presented a secret: the join token, the admin token, a named token, or nobody. Each comparison
 * is of SHA-256 digests in constant time ({@link Tokens#match}, {@link NamedTokens#match}).
 */
public final class Callers {
  private final Tokens tokens;
  private final NamedTokens named;

  public Callers(Tokens tokens, NamedTokens named) {
    this.tokens = tokens;
    this.named = named;
  }

  public Caller identify(String presented) {
    Tokens.Match m = tokens.match(presented);
    if (m.kind() == Tokens.Kind.JOIN) {
      return new Caller(Caller.Kind.JOIN, null, null, m);
    }
    if (m.kind() == Tokens.Kind.ADMIN) {
      return new Caller(Caller.Kind.ADMIN, Role.ADMIN, "admin", m);
    }
    NamedTokens.Hit h = named.match(presented);
    return h == null ? Caller.NONE : new Caller(Caller.Kind.NAMED, h.role(), h.name(), Tokens.Match.NONE);
  }

  public Tokens tokens() {
    return tokens;
  }

  public NamedTokens named() {
    return named;
  }
}
