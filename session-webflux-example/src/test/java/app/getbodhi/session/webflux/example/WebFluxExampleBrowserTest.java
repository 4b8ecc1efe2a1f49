package app.getbodhi.session.webflux.example;

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
 * The WebFlux example in a real browser: headless Chromium through chromedriver (Debian's {@code
 * chromium} and {@code chromium-driver}, or {@code -Dbodhi.chromium} and {@code
 * -Dbodhi.chromedriver}), against the same application context as {@link WebFluxExampleHttpTest}.
 * The user's other device is a {@link Browser} over plain HTTP.
 *
 * <p>Never skipped: without Chromium the test fails and says how to install it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class WebFluxExampleBrowserTest extends WebFluxExampleTestBase {

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
  void a_user_logs_in_counts_visits_revokes_another_device_and_logs_out_everywhere() {
    String base = "http://127.0.0.1:" + port;

    chromium.get(base + "/");
    waitFor("username");
    assertThat(chromium.getCurrentUrl()).endsWith("/login");

    chromium.findElement(By.id("username")).sendKeys("alice");
    chromium.findElement(By.id("password")).sendKeys(ExampleProperties.DEFAULT_PASSWORD);
    Chromium.clickAndWaitForNextPage(chromium, "login");
    waitFor("user");
    assertThat(text("user")).isEqualTo("alice");
    assertThat(text("visits")).isEqualTo("1");
    chromium.navigate().refresh();
    assertThat(text("visits")).isEqualTo("2");

    Cookie cookie = chromium.manage().getCookieNamed(Browser.COOKIE);
    assertThat(cookie).as("the session cookie").isNotNull();
    assertThat(cookie.isHttpOnly()).as("HttpOnly").isTrue();
    String chromiumRef = refOfId(cookie.getValue());

    Browser phone = Browser.on(port).logIn("alice");
    chromium.navigate().refresh();
    assertThat(text("sessions")).isEqualTo("2");

    Chromium.clickAndWaitForNextPage(chromium, "devices-link");
    assertThat(text("device-count")).isEqualTo("2");
    WebElement thisDevice = chromium.findElement(By.cssSelector("tr.this-device"));
    assertThat(thisDevice.getAttribute("id")).isEqualTo("device-" + chromiumRef);

    Chromium.clickAndWaitForNextPage(chromium, "revoke-" + refOf(phone));
    assertThat(text("device-count")).isEqualTo("1");
    assertThat(phone.isSentToLogin()).isTrue();

    phone.logIn("alice");
    Chromium.clickAndWaitForNextPage(chromium, "home-link");
    assertThat(text("sessions")).isEqualTo("2");
    // the fourth view of the home page in this session: after login, two refreshes, this one
    assertThat(text("visits")).isEqualTo("4");

    Chromium.clickAndWaitForNextPage(chromium, "logout-everywhere");
    assertThat(text("logged-out")).isEqualTo("You are logged out.");
    assertThat(phone.isSentToLogin()).isTrue();
    chromium.get(base + "/");
    waitFor("username");
    assertThat(sessions.countSessionsForUser("alice")).isZero();
  }

  private void waitFor(String id) {
    new WebDriverWait(chromium, Chromium.WAIT)
        .until(ExpectedConditions.presenceOfElementLocated(By.id(id)));
  }

  private String text(String id) {
    return Chromium.text(chromium, id);
  }
}
