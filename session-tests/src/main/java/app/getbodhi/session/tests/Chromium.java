package app.getbodhi.session.tests;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium for the browser tests (the demo's and the Spring example's): one way
 * to start it and to drive a page. Selenium is an optional dependency of session-tests, so the
 * suites that drive no browser never get it: a module that uses this class declares {@code
 * selenium-chrome-driver} and {@code selenium-support} itself.
 */
public final class Chromium {

  /** The browser; {@code -Dbodhi.chromium} points elsewhere. */
  public static final Path BINARY =
      Path.of(System.getProperty("bodhi.chromium", "/usr/bin/chromium"));

  /** Its driver; {@code -Dbodhi.chromedriver} points elsewhere. */
  public static final Path DRIVER =
      Path.of(System.getProperty("bodhi.chromedriver", "/usr/bin/chromedriver"));

  /** How long a page may take to load, or an element to appear. */
  public static final Duration WAIT = Duration.ofSeconds(15);

  private Chromium() {}

  /**
   * Starts a headless browser with its own profile folder.
   *
   * @param profile an empty folder for the profile
   * @return the driver; the caller quits it
   */
  public static WebDriver start(Path profile) {
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(DRIVER.toString()))
            .usingAnyFreePort()
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BINARY.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--no-default-browser-check",
        // without these, Chromium keeps calling home, which on a closed network only floods it
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--disable-default-apps",
        "--metrics-recording-only",
        "--user-data-dir=" + profile);
    WebDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(WAIT);
    return driver;
  }

  /**
   * Clicks a button that submits a form, and waits until the next page has replaced this one.
   *
   * @param driver the browser
   * @param id the button's id
   */
  public static void clickAndWaitForNextPage(WebDriver driver, String id) {
    WebElement button = driver.findElement(By.id(id));
    button.click();
    new WebDriverWait(driver, WAIT).until(d -> replaced(button));
  }

  /**
   * Tells whether an element's page is gone. Selenium's {@code stalenessOf} knows only the stale
   * element error; ChromeDriver 156 answers a probe that lands while the next page replaces the
   * document with "Node with given id does not belong to the document", which means the same.
   */
  private static boolean replaced(WebElement element) {
    try {
      element.isEnabled();
      return false;
    } catch (WebDriverException e) {
      if (e instanceof StaleElementReferenceException
          || String.valueOf(e.getMessage()).contains("does not belong to the document")) {
        return true;
      }
      throw e;
    }
  }

  /**
   * Waits for an element and returns its text.
   *
   * @param driver the browser
   * @param id the element's id
   * @return its text
   */
  public static String text(WebDriver driver, String id) {
    return new WebDriverWait(driver, WAIT)
        .until(ExpectedConditions.presenceOfElementLocated(By.id(id)))
        .getText();
  }
}
