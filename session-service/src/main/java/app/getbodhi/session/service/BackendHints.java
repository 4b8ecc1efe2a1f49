package app.getbodhi.session.service;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The backends this project ships, read from the data table {@code backend-hints.tsv} beside this
 * class: used only to tell the user which artifact to add for a URL that no provider on the
 * classpath takes. Providers describe themselves; nothing opens a store from here.
 */
final class BackendHints {

  /**
   * One shipped backend.
   *
   * @param name its provider's name
   * @param artifact the Maven artifact that holds it, {@code groupId:artifactId}
   * @param urlPrefixes the URL prefixes it takes, lower case
   */
  record Hint(String name, String artifact, List<String> urlPrefixes) {}

  private static final String TABLE = "backend-hints.tsv";

  private BackendHints() {}

  /**
   * Reads the table.
   *
   * @return every shipped backend, in the table's order
   */
  static List<Hint> all() {
    try (InputStream in = BackendHints.class.getResourceAsStream(TABLE)) {
      if (in == null) {
        throw new IllegalStateException(TABLE + " is missing beside " + BackendHints.class);
      }
      List<Hint> hints = new ArrayList<>();
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] columns = line.split("\t");
        if (columns.length != 3) {
          throw new IllegalStateException(TABLE + " has a malformed line: " + line);
        }
        hints.add(new Hint(columns[0], columns[1], Arrays.asList(columns[2].trim().split(" +"))));
      }
      return List.copyOf(hints);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read " + TABLE, e);
    }
  }

  /**
   * Finds the shipped backend a URL is meant for, by its longest matching prefix and without regard
   * to case.
   *
   * @param url a database URL; may be malformed
   * @return the backend, or empty when no shipped backend takes URLs of that form
   */
  static Optional<Hint> forUrl(String url) {
    String lower = url.strip().toLowerCase(Locale.ROOT);
    return all().stream()
        .filter(hint -> hint.urlPrefixes().stream().anyMatch(lower::startsWith))
        .max(
            Comparator.comparingInt(
                hint ->
                    hint.urlPrefixes().stream()
                        .filter(lower::startsWith)
                        .mapToInt(String::length)
                        .max()
                        .orElse(0)));
  }
}
