package app.getbodhi.session.example;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.tests.Chromium;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * An example in a real browser: headless Chromium through chromedriver (Debian's {@code chromium}
 * and {@code chromium-driver}, or {@code -Dbodhi.chromium} and {@code -Dbodhi.chromedriver}),
 * against the same application context as the example's HTTP tests. The user's other device is an
 * {@link HttpBrowser}: a second Chromium would cost its start-up and prove nothing more. Both
 * examples run this flow; a subclass names the application with its example's test annotation.
 *
 * <p>Never skipped: without Chromium the test fails and says how to install it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
public abstract class ExampleBrowserTestBase extends ExampleAppTestBase {

  static final String INSTALL_HINT =
      "The browser test needs Chromium and its driver at "
          + Chromium.BINARY
          + " and "
          + Chromium.DRIVER
          + ". Install them with: apt-get update && apt-get install -y chromium chromium-driver"
          + " (or point -Dbodhi.chromium and -Dbodhi.chromedriver at them).";

  @TempDir static Path profiles;

  // held, so the level set below is not lost when the JUL logger is collected
  private final Logger cdpLogger = Logger.getLogger("org.openqa.selenium.devtools");
  private WebDriver chromium;

  @BeforeAll
  void startChromium() {
    assertThat(Files.isExecutable(Chromium.BINARY)).as(INSTALL_HINT).isTrue();
    assertThat(Files.isExecutable(Chromium.DRIVER)).as(INSTALL_HINT).isTrue();
    // Selenium looks for DevTools bindings it has no need of here, and warns when it finds none
    cdpLogger.setLevel(Level.SEVERE);
    chromium = Chromium.start(profiles.resolve("chromium"));
  }

  @AfterAll
  void quitChromium() {
    if (chromium != null) {
      chromium.quit();
    }
  }

  @Test
  void aUserLogsInCountsVisitsRevokesAnotherDeviceAndLogsOutEverywhere() {
    String base = "http://127.0.0.1:" + port;

    // not logged in: sent to the login form
    chromium.get(base + "/");
    waitFor("username");
    assertThat(chromium.getCurrentUrl()).endsWith("/login");

    logIn("alice");
    assertThat(text("user")).isEqualTo("alice");
    assertThat(text("visits")).isEqualTo("1");
    assertThat(text("sessions")).isEqualTo("1");
    chromium.navigate().refresh();
    assertThat(text("visits")).isEqualTo("2");

    Cookie cookie = chromium.manage().getCookieNamed(HttpBrowser.COOKIE);
    assertThat(cookie).as("the session cookie").isNotNull();
    assertThat(cookie.isHttpOnly()).as("HttpOnly").isTrue();
    String chromiumRef = refOfId(sessionIdInCookie(cookie.getValue()));

    // the same user on another device
    HttpBrowser phone = browser().logInOk("alice");
    chromium.navigate().refresh();
    assertThat(text("sessions")).isEqualTo("2");
    assertThat(text("visits")).isEqualTo("3");

    Chromium.clickAndWaitForNextPage(chromium, "devices-link");
    assertThat(text("device-count")).isEqualTo("2");
    WebElement thisDevice = chromium.findElement(By.cssSelector("tr.this-device"));
    assertThat(thisDevice.getAttribute("id")).isEqualTo("device-" + chromiumRef);
    assertThat(thisDevice.getText()).contains("(this device)");

    Chromium.clickAndWaitForNextPage(chromium, "revoke-" + refOf(phone));
    assertThat(text("device-count")).isEqualTo("1");
    assertThat(chromium.findElements(By.cssSelector("tr.device"))).hasSize(1);
    // the revoked device is logged out on its next request
    assertThat(phone.isSentToLogin()).isTrue();

    // it logs in again; logging out everywhere from Chromium ends both
    phone.logInOk("alice");
    Chromium.clickAndWaitForNextPage(chromium, "home-link");
    assertThat(text("sessions")).isEqualTo("2");
    // the fourth view of the home page in this session: after login, two refreshes, this one
    assertThat(text("visits")).isEqualTo("4");

    Chromium.clickAndWaitForNextPage(chromium, "logout-everywhere");
    assertThat(text("logged-out")).isEqualTo("You are logged out.");
    assertThat(phone.isSentToLogin()).isTrue();
    chromium.get(base + "/");
    waitFor("username");
    assertThat(chromium.findElements(By.id("user"))).isEmpty();
    assertThat(sessions.countSessionsForUser("alice")).isZero();
  }

  private void logIn(String user) {
    chromium.findElement(By.id("username")).sendKeys(user);
    chromium.findElement(By.id("password")).sendKeys(DemoUsers.DEFAULT_PASSWORD);
    Chromium.clickAndWaitForNextPage(chromium, "login");
    waitFor("user");
  }

  private void waitFor(String id) {
    new WebDriverWait(chromium, Chromium.WAIT)
        .until(ExpectedConditions.presenceOfElementLocated(By.id(id)));
  }

  private String text(String id) {
    return Chromium.text(chromium, id);
  }
}
