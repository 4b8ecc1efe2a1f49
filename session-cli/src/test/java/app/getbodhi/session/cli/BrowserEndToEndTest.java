package app.getbodhi.session.cli;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.tests.Chromium;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The demo in a real browser: {@code bodhi-sessions serve} on a random port, driven by headless
 * Chromium through chromedriver (Debian's {@code chromium} and {@code chromium-driver}). Two
 * drivers with separate profiles are two browsers with separate cookie jars.
 *
 * <p>Never skipped: without Chromium the test fails and says how to install it. Selenium Manager
 * never runs, because both the driver and the browser are given explicitly (it would try to
 * download them otherwise).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class BrowserEndToEndTest {

  static final Path CHROMIUM = Chromium.BINARY;
  static final Path CHROMEDRIVER = Chromium.DRIVER;
  static final String INSTALL_HINT =
      "The browser test needs Chromium and its driver at "
          + CHROMIUM
          + " and "
          + CHROMEDRIVER
          + ". Install them with: apt-get update && apt-get install -y chromium chromium-driver"
          + " (or point -Dbodhi.chromium and -Dbodhi.chromedriver at them).";

  private static final Duration WAIT = Chromium.WAIT;

  @TempDir static Path home;

  private final List<WebDriver> drivers = new ArrayList<>();
  // held, so the level set below is not lost when the JUL logger is collected
  private final Logger cdpLogger = Logger.getLogger("org.openqa.selenium.devtools");
  private Cli.Serving serving;
  private WebDriver first;
  private WebDriver second;

  @BeforeAll
  void startServerAndBrowsers() throws Exception {
    assertThat(Files.isExecutable(CHROMIUM)).as(INSTALL_HINT).isTrue();
    assertThat(Files.isExecutable(CHROMEDRIVER)).as(INSTALL_HINT).isTrue();
    // Selenium looks for DevTools bindings it has no need of here, and warns when it finds none
    cdpLogger.setLevel(Level.SEVERE);
    serving = Cli.withHome(home).serveOnAnyPort();
    // two profiles: two browsers with cookie jars of their own; started once, they are the slow
    // part
    first = browser("first");
    second = browser("second");
  }

  @BeforeEach
  void forgetSessions() {
    for (WebDriver driver : drivers) {
      // cookies can only be deleted on a page of the site
      driver.get(serving.address().toString());
      driver.manage().deleteAllCookies();
    }
  }

  @AfterAll
  void stopEverything() throws Exception {
    for (WebDriver driver : drivers) {
      driver.quit();
    }
    if (serving != null) {
      try (Cli.Serving server = serving) {
        assertThat(server.stop().exitCode()).isZero();
      }
    }
  }

  @Test
  void aUserLogsInCountsVisitsAndIsLoggedOutEverywhereFromAnotherBrowser() throws Exception {
    URI base = serving.address();

    // logged out: the login form, and no session cookie yet
    first.get(base.toString());
    assertThat(first.findElements(By.id("username"))).hasSize(1);
    assertThat(first.manage().getCookieNamed(WebClient.COOKIE)).isNull();

    logIn(first, "alice <b>&</b>");
    assertThat(text(first, "user")).isEqualTo("alice <b>&</b>");
    assertThat(text(first, "visits")).isEqualTo("1");
    assertThat(text(first, "sessions")).isEqualTo("1");

    // the counter lives in the session and goes up with every reload
    first.navigate().refresh();
    assertThat(text(first, "visits")).isEqualTo("2");
    first.navigate().refresh();
    assertThat(text(first, "visits")).isEqualTo("3");

    Cookie cookie = first.manage().getCookieNamed(WebClient.COOKIE);
    assertThat(cookie).as("the session cookie").isNotNull();
    assertThat(cookie.isHttpOnly()).as("HttpOnly").isTrue();
    assertThat(cookie.getSameSite()).as("SameSite").isEqualTo("Strict");
    assertThat(cookie.getPath()).as("Path").isEqualTo("/");
    assertThat(cookie.isSecure()).as("Secure, off on plain HTTP").isFalse();
    assertThat(cookie.getExpiry()).as("a browser-session cookie has no expiry").isNull();
    assertThat(cookie.getValue()).matches("[A-Za-z0-9_-]{22}");
    // HttpOnly: scripts cannot read it
    Object visibleToScripts = ((JavascriptExecutor) first).executeScript("return document.cookie");
    assertThat(String.valueOf(visibleToScripts)).doesNotContain(WebClient.COOKIE);

    // the same user in a second browser: two sessions, each with its own counter
    second.get(base.toString());
    logIn(second, "alice <b>&</b>");
    assertThat(text(second, "sessions")).isEqualTo("2");
    assertThat(text(second, "visits")).isEqualTo("1");
    assertThat(second.manage().getCookieNamed(WebClient.COOKIE).getValue())
        .isNotEqualTo(cookie.getValue());

    // logging out everywhere from the second browser ends the first browser's session too
    click(second, "logout-everywhere");
    assertThat(second.findElements(By.id("username"))).hasSize(1);
    assertThat(second.manage().getCookieNamed(WebClient.COOKIE)).isNull();

    first.navigate().refresh();
    new WebDriverWait(first, WAIT)
        .until(ExpectedConditions.presenceOfElementLocated(By.id("username")));
    assertThat(first.findElements(By.id("user"))).isEmpty();
    first.get(base.resolve("/api/me").toString());
    assertThat(first.findElement(By.tagName("body")).getText())
        .contains("\"user\":null", "\"sessions\":0");
  }

  @Test
  void logoutEndsOnlyThisBrowsersSession() {
    URI base = serving.address();
    first.get(base.toString());
    logIn(first, "bob");
    second.get(base.toString());
    logIn(second, "bob");

    click(first, "logout");

    assertThat(first.findElements(By.id("username"))).hasSize(1);
    second.navigate().refresh();
    assertThat(text(second, "user")).isEqualTo("bob");
    assertThat(text(second, "sessions")).isEqualTo("1");
  }

  private void logIn(WebDriver driver, String user) {
    WebElement field = driver.findElement(By.id("username"));
    field.clear();
    field.sendKeys(user);
    click(driver, "login");
    new WebDriverWait(driver, WAIT)
        .until(ExpectedConditions.presenceOfElementLocated(By.id("user")));
  }

  private static void click(WebDriver driver, String id) {
    Chromium.clickAndWaitForNextPage(driver, id);
  }

  private static String text(WebDriver driver, String id) {
    return Chromium.text(driver, id);
  }

  private WebDriver browser(String name) {
    WebDriver driver = Chromium.start(home.resolve("chromium-" + name));
    drivers.add(driver);
    return driver;
  }
}
