package app.getbodhi.session;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads the server secrets from settings, each from its variable ({@code BODHI_SESSION_SECRET}) or
 * from the file its {@code _FILE} variable names (the convention of container secrets, which keeps
 * the value out of {@code ps} and of the environment). Messages name the variable the user set and
 * never quote a secret or a file's content.
 */
final class SecretSettings {

  /**
   * The largest secret file read, in bytes: a base64 secret of 32 bytes is 44 characters, so
   * anything much larger is the wrong file (and {@code /dev/zero} must not fill the heap).
   */
  static final int MAX_FILE_BYTES = 4096;

  /** The keyword for "no secret", accepted for the previous secret only. */
  static final String NONE = "none";

  private SecretSettings() {}

  /**
   * A secret's value and the variable it came from, as the user set it.
   *
   * @param setting {@code BODHI_SESSION_SECRET} or {@code BODHI_SESSION_SECRET_FILE}, say
   * @param value the secret's text, without the file's trailing newline
   */
  record Source(String setting, String value) {
    /** Never shows the value. */
    @Override
    public String toString() {
      return "Source[" + setting + "]";
    }
  }

  /**
   * Reads the current secret.
   *
   * @param settings where it comes from
   * @return the secret, or {@link SessionSecret#none()} when neither form is set
   */
  static SessionSecret current(SettingService settings) {
    Optional<Source> source =
        read(
            settings,
            SettingService.BODHI_SESSION_SECRET,
            SettingService.BODHI_SESSION_SECRET_FILE);
    if (source.isEmpty()) {
      return SessionSecret.none();
    }
    if (source.get().value().equalsIgnoreCase(NONE)) {
      throw new SessionServiceException(
          SessionServiceException.Kind.CONFIGURATION,
          source.get().setting()
              + " is 'none', which is not a secret: 'none' means \"no secret\" only in "
              + SettingService.BODHI_SESSION_SECRET_PREVIOUS
              + ". To run without a secret, leave "
              + SettingService.BODHI_SESSION_SECRET
              + " unset; to set one, "
              + SessionSecret.HOW_TO_MAKE_ONE
              + ".");
    }
    return parse(source.get());
  }

  /**
   * Reads the previous secret.
   *
   * @param settings where it comes from
   * @return the secret, {@link SessionSecret#none()} for {@code none}, or empty when neither form
   *     is set
   */
  static Optional<SessionSecret> previous(SettingService settings) {
    return read(
            settings,
            SettingService.BODHI_SESSION_SECRET_PREVIOUS,
            SettingService.BODHI_SESSION_SECRET_PREVIOUS_FILE)
        .map(
            source -> source.value().equalsIgnoreCase(NONE) ? SessionSecret.none() : parse(source));
  }

  /**
   * Names the variable a secret was set with: the {@code _FILE} form when that one is set.
   *
   * @param settings the settings
   * @param setting {@code BODHI_SESSION_SECRET} or {@code BODHI_SESSION_SECRET_PREVIOUS}
   * @return the name to quote in a message
   */
  static String nameSet(SettingService settings, String setting) {
    String file = setting + "_FILE";
    return settings.isSet(file) ? file : setting;
  }

  private static SessionSecret parse(Source source) {
    try {
      return SessionSecret.parse(source.setting(), source.value());
    } catch (SessionServiceException e) {
      if (!source.setting().endsWith("_FILE")) {
        throw e;
      }
      throw new SessionServiceException(
          SessionServiceException.Kind.CONFIGURATION,
          "The file "
              + source.setting()
              + " names must hold base64 of at least "
              + SessionSecret.RECOMMENDED_BYTES
              + " random bytes (for example the output of `openssl rand -base64 32`); its content"
              + " is not base64.");
    }
  }

  private static Optional<Source> read(
      SettingService settings, String setting, String fileSetting) {
    Optional<String> value = settings.getSetting(setting).filter(v -> !v.isBlank());
    Optional<String> file = settings.getSetting(fileSetting).filter(v -> !v.isBlank());
    if (value.isPresent() && file.isPresent()) {
      throw new SessionServiceException(
          SessionServiceException.Kind.CONFIGURATION,
          setting
              + " and "
              + fileSetting
              + " are both set; set one of them (the file keeps the secret out of the process"
              + " list and the environment).");
    }
    if (value.isPresent()) {
      return Optional.of(new Source(setting, value.get().strip()));
    }
    return file.map(path -> new Source(fileSetting, readFile(fileSetting, path.strip())));
  }

  /** Reads a secret file, naming the setting and the path (never the content) when it cannot. */
  private static String readFile(String setting, String path) {
    Path file;
    try {
      file = Path.of(path);
    } catch (InvalidPathException e) {
      throw unreadable(setting, path, "is not a valid path");
    }
    if (Files.isDirectory(file)) {
      throw unreadable(setting, path, "is a folder, not a file");
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_FILE_BYTES + 1);
    } catch (NoSuchFileException e) {
      throw unreadable(setting, path, "does not exist");
    } catch (AccessDeniedException e) {
      throw unreadable(setting, path, "is not readable by this process");
    } catch (IOException e) {
      throw unreadable(setting, path, "cannot be read");
    }
    if (bytes.length > MAX_FILE_BYTES) {
      throw unreadable(
          setting, path, "is larger than " + MAX_FILE_BYTES + " bytes, too large for a secret");
    }
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .decode(java.nio.ByteBuffer.wrap(bytes))
              .toString()
              // the newline that echo and editors end a file with is no part of the secret
              .strip();
    } catch (CharacterCodingException e) {
      throw unreadable(setting, path, "is not text; it must hold the base64 secret");
    }
    if (text.isEmpty()) {
      throw unreadable(setting, path, "is empty; it must hold the base64 secret");
    }
    return text;
  }

  private static SessionServiceException unreadable(String setting, String path, String why) {
    return new SessionServiceException(
        SessionServiceException.Kind.CONFIGURATION,
        setting + " names the file '" + path + "', which " + why + ".");
  }
}
