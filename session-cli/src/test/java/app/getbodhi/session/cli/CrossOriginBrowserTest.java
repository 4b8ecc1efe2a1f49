package app.getbodhi.session.cli;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.tests.Chromium;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Cross-site request forgery against the demo, in a real browser: headless Chromium visits an
 * attacker's page, served by a second tiny HTTP server on another loopback origin, that submits a
 * form to the demo as soon as it loads. The demo must refuse it, and its own forms must still work.
 *
 * <p>Two attackers: one on another port of the same host ({@code 127.0.0.1}), which the browser
 * calls same-site and sends the {@code SameSite=Strict} cookie along to; one on another address
 * ({@code 127.0.0.2}), which is cross-site. Both only on loopback.
 *
 * <p>Never skipped: without Chromium the test fails and says how to install it ({@link
 * BrowserEndToEndTest#INSTALL_HINT}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class CrossOriginBrowserTest {

  private static final Duration WAIT = Chromium.WAIT;

  /** The refused request's page, as the filter writes it. */
  private static final String REFUSED = "Forbidden: this request came from another site";

  @TempDir static Path home;

  // held, so the level set below is not lost when the JUL logger is collected
  private final Logger cdpLogger = Logger.getLogger("org.openqa.selenium.devtools");
  private LocalDemo demo;
  private HttpServer sameSiteAttacker;
  private HttpServer crossSiteAttacker;
  private WebDriver browser;

  @BeforeAll
  void start() throws Exception {
    assertThat(Files.isExecutable(BrowserEndToEndTest.CHROMIUM))
        .as(BrowserEndToEndTest.INSTALL_HINT)
        .isTrue();
    assertThat(Files.isExecutable(BrowserEndToEndTest.CHROMEDRIVER))
        .as(BrowserEndToEndTest.INSTALL_HINT)
        .isTrue();
    cdpLogger.setLevel(Level.SEVERE);
    demo = LocalDemo.start(home);
    sameSiteAttacker = attacker("127.0.0.1");
    crossSiteAttacker = attacker("127.0.0.2");
    browser = chromium();
  }

  @AfterAll
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    for (HttpServer attacker : new HttpServer[] {sameSiteAttacker, crossSiteAttacker}) {
      if (attacker != null) {
        attacker.stop(0);
      }
    }
    if (demo != null) {
      demo.close();
    }
  }

  @BeforeEach
  void forgetSessions() {
    browser.get(demo.address().toString());
    browser.manage().deleteAllCookies();
  }

  @Test
  void aPageOnAnotherSiteCannotLogTheVisitorInAsTheAttacker() {
    open(crossSiteAttacker, "/login-as-attacker");

    awaitRefusal();
    assertThat(browser.manage().getCookieNamed(WebClient.COOKIE)).isNull();
    assertThat(demo.service().countSessionsForUser("attacker")).isZero();
    browser.get(demo.address().toString());
    assertThat(browser.findElements(By.id("username"))).as("still logged out").hasSize(1);
  }

  @Test
  void aPageOnAnotherPortOfTheSameHostCannotLogTheVisitorOut() {
    logInWithTheDemosForm("alice");

    open(sameSiteAttacker, "/logout");

    awaitRefusal();
    browser.get(demo.address().toString());
    assertThat(text("user")).as("still logged in").isEqualTo("alice");
    assertThat(demo.service().countSessionsForUser("alice")).isEqualTo(1);
  }

  @Test
  void aPageOnAnotherSiteCannotLogTheVisitorOutEverywhere() {
    logInWithTheDemosForm("bob");

    open(crossSiteAttacker, "/logout-everywhere");

    awaitRefusal();
    assertThat(demo.service().countSessionsForUser("bob")).isEqualTo(1);
  }

  @Test
  void theDemosOwnFormsLogInAndOut() {
    logInWithTheDemosForm("carol");
    assertThat(text("visits")).isEqualTo("1");

    click("logout");

    assertThat(browser.findElements(By.id("username"))).hasSize(1);
    assertThat(browser.manage().getCookieNamed(WebClient.COOKIE)).isNull();
    assertThat(demo.service().countSessionsForUser("carol")).isZero();
  }

  private void open(HttpServer attacker, String path) {
    InetSocketAddress address = attacker.getAddress();
    browser.get("http://" + address.getHostString() + ":" + address.getPort() + path);
  }

  /** Waits until the auto-submitted form has been answered by the demo's refusal. */
  private void awaitRefusal() {
    new WebDriverWait(browser, WAIT)
        .until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("body"), REFUSED));
    assertThat(browser.getCurrentUrl()).startsWith(demo.address().toString());
  }

  private void logInWithTheDemosForm(String user) {
    browser.get(demo.address().toString());
    WebElement field = browser.findElement(By.id("username"));
    field.clear();
    field.sendKeys(user);
    click("login");
    assertThat(text("user")).isEqualTo(user);
  }

  private void click(String id) {
    Chromium.clickAndWaitForNextPage(browser, id);
  }

  private String text(String id) {
    return Chromium.text(browser, id);
  }

  /**
   * Serves, on a loopback address and a free port, one page per demo form action that posts to it
   * as soon as it loads, as a forging site would.
   */
  private HttpServer attacker(String loopbackAddress) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getByName(loopbackAddress), 0), 0);
    URI target = demo.address();
    server.createContext(
        "/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          String action =
              switch (path) {
                case "/login-as-attacker" -> "/login";
                case "/logout", "/logout-everywhere" -> path;
                default -> null;
              };
          byte[] body =
              (action == null
                      ? "no such page"
                      : """
                      <!doctype html>
                      <html><body onload="document.forms[0].submit()">
                      <form method="post" action="%s">
                        <input type="hidden" name="username" value="attacker">
                      </form>
                      </body></html>
                      """
                          .formatted(target.resolve(action)))
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
          exchange.sendResponseHeaders(action == null ? 404 : 200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    return server;
  }

  private WebDriver chromium() {
    return Chromium.start(home.resolve("chromium-cross-origin"));
  }
}
