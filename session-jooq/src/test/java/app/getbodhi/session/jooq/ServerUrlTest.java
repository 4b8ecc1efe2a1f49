package app.getbodhi.session.jooq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.getbodhi.session.SessionServiceException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The shared server-URL parser and its redacting errors, as a backend author uses them. */
class ServerUrlTest {

  private static final String EXPECTED = "Expected test://user:password@host:port/db.";

  private static ServerUrl parse(String url) {
    UrlProblems problems = UrlProblems.of("TestDB", url, EXPECTED);
    return ServerUrl.parse(problems.url().substring("test://".length()), 7000, problems);
  }

  @Test
  void splitsAndDecodesEveryPart() {
    ServerUrl url = parse("test://b%C3%B6dhi:p%40ss@w@h1,[::1]:7001/my%2Fdb?a=1&b_2=x%26y&a=3");

    assertThat(url.user()).contains("bödhi");
    assertThat(url.password()).contains("p@ss@w");
    assertThat(url.hosts())
        .containsExactly(new ServerUrl.Host("h1", 7000), new ServerUrl.Host("[::1]", 7001));
    assertThat(url.database()).contains("my/db");
    assertThat(url.parameters())
        .containsExactly(
            new ServerUrl.Parameter("a", "1"),
            new ServerUrl.Parameter("b_2", "x&y"),
            new ServerUrl.Parameter("a", "3"));
  }

  @Test
  void leavesWhatTheUrlDoesNotNameEmpty() {
    ServerUrl url = parse("test://");

    assertThat(url.user()).isEmpty();
    assertThat(url.password()).isEmpty();
    assertThat(url.hosts()).containsExactly(new ServerUrl.Host("", 7000));
    assertThat(url.database()).isEmpty();
    assertThat(url.parameters()).isEmpty();
  }

  @Test
  void takesNoSlashOrAtSignInTheQueryForThePathOrTheUser() {
    ServerUrl url = parse("test://host?next=a/b@c");

    assertThat(url.user()).isEmpty();
    assertThat(url.hosts()).containsExactly(new ServerUrl.Host("host", 7000));
    assertThat(url.database()).isEmpty();
    assertThat(url.parameters()).containsExactly(new ServerUrl.Parameter("next", "a/b@c"));
  }

  @Test
  void showsNoPasswordNorParameterValueInToString() {
    ServerUrl url = parse("test://u:s3cret@h/db?password=s3cret2");

    assertThat(url.toString()).doesNotContain("s3cret").contains("u:***@", "password=***");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "test://u:s3cret@h:0/db",
        "test://u:s3cret@h:65536/db",
        "test://u:s3cret@h:/db",
        "test://u:s3cret@h1,,h2/db",
        "test://u:s3cret@[::1/db",
        "test://u:s3cret@::1/db",
        "test://u:s3cret@h%21/db",
        "test://u:s3cret@%2Ftmp/db",
        "test://u:s3cret%zz@h/db",
        "test://u:s3cret%00@h/db",
        "test://u:s3cret%ff@h/db",
        "test://u:s3cret@h/db?a=1&&b=2",
        "test://u:s3cret@h/db?=1",
        "test://u:s3cret@h/db?1a=1",
        "test://u:s3cret@h/db?a",
        "test://u:s3cret@h/d b"
      })
  void refusesAMalformedUrlShowingItOnlyRedacted(String bad) {
    assertThatThrownBy(() -> parse(bad))
        .isInstanceOfSatisfying(
            SessionServiceException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(SessionServiceException.Kind.CONFIGURATION);
              assertThat(e.getMessage())
                  .startsWith("The TestDB session URL test://u:***@")
                  .contains(" is invalid: ")
                  .endsWith(EXPECTED)
                  .doesNotContain("s3cret");
            });
  }

  @Test
  void namesTheDatabaseInTheSocketAndNulMessages() {
    assertThatThrownBy(() -> parse("test://%2Ftmp/db"))
        .hasMessageContaining("but the TestDB JDBC driver connects over TCP only");
    assertThatThrownBy(() -> parse("test://h/d%00b"))
        .hasMessageContaining("the database name contains %00, which TestDB cannot take");
  }

  @Test
  void anEmptyUrlIsRefusedBeforeParsing() {
    assertThat(List.of("", "  "))
        .allSatisfy(
            empty ->
                assertThatThrownBy(() -> UrlProblems.of("TestDB", empty, EXPECTED))
                    .hasMessage("The TestDB session URL is empty. " + EXPECTED));
    assertThatThrownBy(() -> UrlProblems.of("TestDB", null, EXPECTED))
        .isInstanceOf(SessionServiceException.class);
  }

  @Test
  void boundsAndEscapesTheShownUrl() {
    UrlProblems problems = UrlProblems.of("TestDB", "test://h/" + "d".repeat(400), EXPECTED);

    assertThat(problems.shownUrl()).hasSize(UrlProblems.MAX_SHOWN_CHARS + 1).endsWith("…");
    assertThat(problems.url()).hasSize("test://h/".length() + 400);
    assertThat(UrlProblems.of("TestDB", "test://u:s3cret@h/db", EXPECTED).toString())
        .contains("TestDB", "test://u:***@h/db")
        .doesNotContain("s3cret");
  }
}
