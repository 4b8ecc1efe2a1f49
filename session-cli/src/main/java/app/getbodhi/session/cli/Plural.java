package app.getbodhi.session.cli;

/** Counted nouns for messages: "1 session", "2 sessions". */
final class Plural {

  private Plural() {}

  static String of(long count, String noun) {
    return count + " " + noun + (count == 1 ? "" : "s");
  }

  static String sessions(long count) {
    return of(count, "session");
  }
}
