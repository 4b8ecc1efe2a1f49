package app.getbodhi.session.spring.autoconfigure;

import app.getbodhi.session.SettingService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code bodhi.session.*} properties. Cookie settings come from Boot's own {@code
 * server.servlet.session.cookie.*}, the timeout from {@code spring.session.timeout} or {@code
 * server.servlet.session.timeout}.
 */
@ConfigurationProperties("bodhi.session")
public class BodhiSessionProperties {

  // Field comments become the IDE's help text (spring-configuration-metadata.json), which shows
  // Javadoc tags literally: plain text only.

  /**
   * Session database URL: "sqlite:PATH" or "postgres://USER:PASSWORD@HOST:PORT/DB". Defaults to the
   * SQLite file "session.sqlite" in bodhi.session.home.
   */
  private String dbUrl;

  /**
   * Folder of the default SQLite file, when bodhi.session.db-url is not set. Defaults to the
   * application's home (the folder of its jar, or of its classes).
   */
  private Path home;

  /**
   * Deployment mode: "standalone" (one node) or "cluster" (several nodes on one shared database,
   * which needs a server secret).
   */
  private String deployment = "standalone";

  /**
   * Server secret for sealed storage: base64 of 32 random bytes ("openssl rand -base64 32"), the
   * same on every node. Required in cluster mode. Prefer bodhi.session.secret-file, or the
   * environment (BODHI_SESSION_SECRET), to a command-line argument, which every user sees in ps.
   */
  private String secret;

  /**
   * File holding the server secret (a mounted container secret, say), instead of
   * bodhi.session.secret; a trailing newline is ignored.
   */
  private Path secretFile;

  /**
   * Secret being rotated out, or "none" when turning a secret on: its sessions still load and move
   * to the current secret on their next write.
   */
  private String previousSecret;

  /** File holding the secret being rotated out, instead of bodhi.session.previous-secret. */
  private Path previousSecretFile;

  /**
   * Lets cluster mode start without a server secret, for a test setup only: without one, whoever
   * can write to the shared session database can log in as anyone.
   */
  private boolean clusterWithoutSecretForTestingOnly;

  /** How often expired sessions are deleted; 0 turns the background clean-up off. */
  private Duration cleanupInterval = SettingService.DEFAULT_CLEANUP_INTERVAL;

  /**
   * Largest access granularity: a request that only reads its session writes nothing unless the
   * last write is older than this (or a tenth of the session's timeout, when smaller). A session
   * then lives at least its timeout after its last request and at most this much longer, and its
   * last-access time is precise to it. 0 writes on every request; at most 1h.
   */
  private Duration accessGranularity = SettingService.DEFAULT_ACCESS_GRANULARITY;

  /**
   * The library's setting names and the properties that set them here, longest name first so that
   * one name that begins another is not replaced inside it.
   */
  private static final Map<String, String> PROPERTY_NAMES = new LinkedHashMap<>();

  static {
    PROPERTY_NAMES.put(
        SettingService.BODHI_SESSION_CLUSTER_WITHOUT_SECRET_FOR_TESTING_ONLY,
        "bodhi.session.cluster-without-secret-for-testing-only");
    PROPERTY_NAMES.put(
        SettingService.BODHI_SESSION_SECRET_PREVIOUS_FILE, "bodhi.session.previous-secret-file");
    PROPERTY_NAMES.put(
        SettingService.BODHI_SESSION_SECRET_PREVIOUS, "bodhi.session.previous-secret");
    PROPERTY_NAMES.put(SettingService.BODHI_SESSION_SECRET_FILE, "bodhi.session.secret-file");
    PROPERTY_NAMES.put(
        SettingService.BODHI_SESSION_CLEANUP_INTERVAL, "bodhi.session.cleanup-interval");
    PROPERTY_NAMES.put(
        SettingService.BODHI_SESSION_ACCESS_GRANULARITY, "bodhi.session.access-granularity");
    PROPERTY_NAMES.put(SettingService.BODHI_SESSION_LIFETIME, "spring.session.timeout");
    PROPERTY_NAMES.put(SettingService.BODHI_SESSION_DB_URL, "bodhi.session.db-url");
    PROPERTY_NAMES.put(SettingService.BODHI_SESSION_SECRET, "bodhi.session.secret");
    PROPERTY_NAMES.put(SettingService.BODHI_DEPLOYMENT, "bodhi.session.deployment");
    PROPERTY_NAMES.put(SettingService.BODHI_HOME, "bodhi.session.home");
  }

  /**
   * Rewrites a library message to name the properties of this class instead of the library's
   * settings ({@code BODHI_DEPLOYMENT} becomes {@code bodhi.session.deployment}), so that a
   * start-up failure says what to change in {@code application.properties}.
   *
   * @param message a message of the library's
   * @return the message in property names
   */
  static String inPropertyNames(String message) {
    String renamed = message;
    for (Map.Entry<String, String> name : PROPERTY_NAMES.entrySet()) {
      // whole names only: BODHI_SESSION_SECRET must not match inside BODHI_SESSION_SECRET_PREVIOUS
      renamed =
          renamed.replaceAll(
              "(?<![A-Za-z0-9_])" + Pattern.quote(name.getKey()) + "(?![A-Za-z0-9_])",
              Matcher.quoteReplacement(name.getValue()));
    }
    return renamed;
  }

  /**
   * The settings these properties stand for, as the library reads them.
   *
   * @param defaultHome the application's home, when {@link #getHome()} is unset
   * @param timeout the session timeout Boot resolved
   * @return the settings
   */
  Map<String, String> toSettings(Path defaultHome, Duration timeout) {
    Map<String, String> settings = new HashMap<>();
    Path folder = home != null ? home : defaultHome;
    settings.put(SettingService.BODHI_HOME, folder.toString());
    if (dbUrl != null && !dbUrl.isBlank()) {
      settings.put(SettingService.BODHI_SESSION_DB_URL, dbUrl);
    }
    settings.put(SettingService.BODHI_DEPLOYMENT, deployment);
    if (secret != null) {
      settings.put(SettingService.BODHI_SESSION_SECRET, secret);
    }
    if (secretFile != null) {
      settings.put(SettingService.BODHI_SESSION_SECRET_FILE, secretFile.toString());
    }
    if (previousSecret != null) {
      settings.put(SettingService.BODHI_SESSION_SECRET_PREVIOUS, previousSecret);
    }
    if (previousSecretFile != null) {
      settings.put(
          SettingService.BODHI_SESSION_SECRET_PREVIOUS_FILE, previousSecretFile.toString());
    }
    settings.put(
        SettingService.BODHI_SESSION_CLUSTER_WITHOUT_SECRET_FOR_TESTING_ONLY,
        String.valueOf(clusterWithoutSecretForTestingOnly));
    settings.put(
        SettingService.BODHI_SESSION_CLEANUP_INTERVAL,
        cleanupInterval.isZero() ? "off" : cleanupInterval.toString());
    settings.put(SettingService.BODHI_SESSION_LIFETIME, timeout.toString());
    settings.put(SettingService.BODHI_SESSION_ACCESS_GRANULARITY, accessGranularity.toString());
    return settings;
  }

  /**
   * @return the database URL, or {@code null} for the default
   */
  public String getDbUrl() {
    return dbUrl;
  }

  /**
   * @param dbUrl the database URL
   */
  public void setDbUrl(String dbUrl) {
    this.dbUrl = dbUrl;
  }

  /**
   * @return the home folder, or {@code null} for the application's
   */
  public Path getHome() {
    return home;
  }

  /**
   * @param home the folder of the default SQLite file
   */
  public void setHome(Path home) {
    this.home = home;
  }

  /**
   * @return {@code standalone} or {@code cluster}
   */
  public String getDeployment() {
    return deployment;
  }

  /**
   * @param deployment {@code standalone} or {@code cluster}
   */
  public void setDeployment(String deployment) {
    this.deployment = deployment;
  }

  /**
   * @return the secret, or {@code null}
   */
  public String getSecret() {
    return secret;
  }

  /**
   * @param secret base64 of 32 random bytes
   */
  public void setSecret(String secret) {
    this.secret = secret;
  }

  /**
   * @return the previous secret, or {@code null}
   */
  public String getPreviousSecret() {
    return previousSecret;
  }

  /**
   * @param previousSecret the secret being rotated out, or {@code none}
   */
  public void setPreviousSecret(String previousSecret) {
    this.previousSecret = previousSecret;
  }

  /**
   * @return the file holding the secret, or {@code null}
   */
  public Path getSecretFile() {
    return secretFile;
  }

  /**
   * @param secretFile the file holding the secret
   */
  public void setSecretFile(Path secretFile) {
    this.secretFile = secretFile;
  }

  /**
   * @return the file holding the previous secret, or {@code null}
   */
  public Path getPreviousSecretFile() {
    return previousSecretFile;
  }

  /**
   * @param previousSecretFile the file holding the secret being rotated out
   */
  public void setPreviousSecretFile(Path previousSecretFile) {
    this.previousSecretFile = previousSecretFile;
  }

  /**
   * @return whether cluster mode may start without a secret (test setups only)
   */
  public boolean isClusterWithoutSecretForTestingOnly() {
    return clusterWithoutSecretForTestingOnly;
  }

  /**
   * @param clusterWithoutSecretForTestingOnly true to let cluster mode start without a secret
   */
  public void setClusterWithoutSecretForTestingOnly(boolean clusterWithoutSecretForTestingOnly) {
    this.clusterWithoutSecretForTestingOnly = clusterWithoutSecretForTestingOnly;
  }

  /**
   * @return how often expired sessions are deleted
   */
  public Duration getCleanupInterval() {
    return cleanupInterval;
  }

  /**
   * @param cleanupInterval how often expired sessions are deleted; zero for never
   */
  public void setCleanupInterval(Duration cleanupInterval) {
    this.cleanupInterval = cleanupInterval;
  }

  /**
   * @return the largest access granularity
   */
  public Duration getAccessGranularity() {
    return accessGranularity;
  }

  /**
   * @param accessGranularity the largest access granularity, from 0 to 1 hour
   */
  public void setAccessGranularity(Duration accessGranularity) {
    this.accessGranularity = accessGranularity;
  }

  /** Attributes stored with JDK serialization: off unless packages are allowed. */
  private final Serialization serialization = new Serialization();

  /**
   * @return {@code bodhi.session.serialization.*}
   */
  public Serialization getSerialization() {
    return serialization;
  }

  /** The {@code bodhi.session.serialization.*} properties. */
  public static class Serialization {

    /**
     * The application's packages whose Serializable types may be stored in the session with JDK
     * serialization, such as "com.example.shop" (its subpackages too). Values are read back only
     * through an allow-list of these packages and the JDK's value types; empty (the default) keeps
     * JDK serialization off.
     */
    private List<String> allowedPackages = new ArrayList<>();

    /**
     * @return the allowed packages
     */
    public List<String> getAllowedPackages() {
      return allowedPackages;
    }

    /**
     * @param allowedPackages the application's packages
     */
    public void setAllowedPackages(List<String> allowedPackages) {
      this.allowedPackages = allowedPackages;
    }
  }

  /** Names the backend's URL redacted and whether a secret is set, never the secret. */
  @Override
  public String toString() {
    return "BodhiSessionProperties[dbUrl="
        + (dbUrl == null ? "default" : app.getbodhi.session.spi.DatabaseUrls.redact(dbUrl))
        + ", deployment="
        + deployment
        + ", secret="
        + (secret == null && secretFile == null ? "none" : "***")
        + "]";
  }
}
