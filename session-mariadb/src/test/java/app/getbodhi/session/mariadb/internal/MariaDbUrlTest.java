package app.getbodhi.session.mariadb.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.throwable;

import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.jooq.ServerUrl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MariaDbUrlTest {

  static final String SECRET = "s3cr%3At@pw";

  /**
   * Parsing {@code url} fails with a CONFIGURATION error whose message says {@code why} and shows
   * no part of the password.
   */
  private static void assertRefused(String url, String why) {
    assertThatThrownBy(() -> MariaDbUrl.parse(url))
        .asInstanceOf(throwable(SessionServiceException.class))
        .returns(SessionServiceException.Kind.CONFIGURATION, SessionServiceException::kind)
        .message()
        .contains(why)
        .doesNotContain("s3cr");
  }

  @Test
  void splitsCredentialsOutOfTheJdbcUrl() {
    MariaDbUrl url = MariaDbUrl.parse("mariadb://bodhi:" + SECRET + "@db.example:3307/sessions");
    assertThat(url.jdbcUrl()).isEqualTo("jdbc:mariadb://db.example:3307/sessions");
    assertThat(url.properties().getProperty("user")).isEqualTo("bodhi");
    assertThat(url.properties().getProperty("password")).isEqualTo("s3cr:t@pw");
    assertThat(url.properties().getProperty("allowLocalInfile")).isEqualTo("false");
    assertThat(url.properties().getProperty("allowMultiQueries")).isEqualTo("false");
    assertThat(url.user()).contains("bodhi");
    assertThat(url.server()).isEqualTo(new ServerUrl.Host("db.example", 3307));
    assertThat(url.database()).isEqualTo("sessions");
    assertThat(url.redactedUrl()).isEqualTo("mariadb://bodhi:***@db.example:3307/sessions");
    assertThat(url.toString()).doesNotContain("s3cr").contains("password=***");
  }

  @Test
  void defaultsThePortAndTakesIpv6() {
    MariaDbUrl url = MariaDbUrl.parse("mariadb://u@[::1]/db");
    assertThat(url.jdbcUrl()).isEqualTo("jdbc:mariadb://[::1]:3306/db");
    assertThat(url.server()).isEqualTo(new ServerUrl.Host("[::1]", MariaDbUrl.DEFAULT_PORT));
    assertThat(url.properties().getProperty("password")).isNull();
  }

  @Test
  void aDatabaseNameNeedingEscapesTravelsAsAProperty() {
    MariaDbUrl url = MariaDbUrl.parse("mariadb://u@h/my%2Fapp-db");
    assertThat(url.database()).isEqualTo("my/app-db");
    assertThat(url.jdbcUrl()).isEqualTo("jdbc:mariadb://h:3306/");
    assertThat(url.properties().getProperty("database")).isEqualTo("my/app-db");
  }

  @Test
  void acceptsTheJdbcFormWithCredentialsInTheQuery() {
    MariaDbUrl url =
        MariaDbUrl.parse(
            "jdbc:mariadb://h:3306/db?user=bodhi&password=" + SECRET + "&sslMode=verify-full");
    assertThat(url.jdbcUrl()).isEqualTo("jdbc:mariadb://h:3306/db");
    assertThat(url.properties().getProperty("password")).isEqualTo("s3cr:t@pw");
    assertThat(url.properties().getProperty("sslMode")).isEqualTo("verify-full");
    assertThat(url.redactedUrl()).doesNotContain("s3cr");
  }

  @Test
  void allowedParametersAreMatchedWithoutCaseAndSpeltTheDriversWay() {
    MariaDbUrl url =
        MariaDbUrl.parse("mariadb://u@h/db?sslmode=trust&CONNECTTIMEOUT=5000&socketTimeout=0");
    assertThat(url.properties().getProperty("sslMode")).isEqualTo("trust");
    assertThat(url.properties().getProperty("connectTimeout")).isEqualTo("5000");
    assertThat(url.properties().getProperty("socketTimeout")).isEqualTo("0");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "allowLocalInfile=true",
        "allowMultiQueries=true",
        "ALLOWMULTIQUERIES=true",
        "socketFactory=x.Y",
        "trustServerCertificate=true",
        "sessionVariables=sql_mode=''",
        "useAffectedRows=false",
        "initSql=DROP",
        "credentialType=AWS-IAM",
        "whatever=1"
      })
  void refusesEveryOtherDriverParameter(String parameter) {
    assertRefused("mariadb://u:" + SECRET + "@h/db?" + parameter, "is not allowed");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "mariadb://u:" + SECRET + "@h",
        "mariadb://u:" + SECRET + "@h/",
        "mariadb://u:" + SECRET + "@h:0/db",
        "mariadb://u:" + SECRET + "@h:99999/db",
        "mariadb://u:" + SECRET + "@h:/db",
        "mariadb://u:" + SECRET + "@h1,h2/db",
        "mariadb://u:" + SECRET + "@::1/db",
        "mariadb://u:" + SECRET + "@[::1/db",
        "mariadb://u:" + SECRET + "@/db",
        "mariadb://u:s3cr%zz@h/db",
        "mariadb://u:" + SECRET + "@h/db?sslMode=sometimes",
        "mariadb://u:" + SECRET + "@h/db?connectTimeout=soon",
        "mariadb://u:" + SECRET + "@h/db?&",
        "mariadb://u:" + SECRET + "@h/db?sslMode",
        "mariadb:u:" + SECRET + "@h/db",
        "jdbc:mariadb:sequential://u:" + SECRET + "@h/db",
        "mysql://u:" + SECRET + "@h/db",
        "mariadb://u:" + SECRET + "@h/d b",
        "  ",
      })
  void malformedUrlsAreConfigurationErrorsThatNeverShowThePassword(String bad) {
    assertRefused(bad, "MariaDB session URL");
  }

  @Test
  void aMissingDatabaseIsNamedAsTheProblem() {
    assertThatThrownBy(() -> MariaDbUrl.parse("mariadb://u@h:3306"))
        .hasMessageContaining("names no database");
  }
}
