package app.getbodhi.session.spring;

import app.getbodhi.session.SessionServiceException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.Serializable;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Stores an application's own {@link Serializable} types with JDK serialization, and reads them
 * back only through an {@link ObjectInputFilter} allow-list: the application's packages (each with
 * its subpackages) and, of the JDK, only {@code java.lang}, {@code java.util}, {@code java.time}
 * and {@code java.math} (not their subpackages), plus arrays of those and of primitives. Every
 * other class in a stream is refused before it is instantiated, so a row holding a gadget chain (a
 * class of a library on the classpath, {@code java.net.URL}, a proxy) is refused, never run.
 * Streams are also bounded in depth, references, array length and size.
 *
 * <p>A value whose class is in an allowed package is serialized and read back at once, through the
 * same filter: one that holds a class outside the list fails at {@code setAttribute}, naming the
 * attribute and the class, rather than on a later request. Every other value goes to the delegate
 * (Spring Security's types through Jackson, by default). A serialized value is stored as {@code
 * {"@bodhi.serialized": "<base64>"}}.
 *
 * <p>Opt-in: Spring Boot sets it up when {@code bodhi.session.serialization.allowed-packages} is
 * set. Thread-safe.
 */
public final class SerializingAttributeCodec implements SessionAttributeCodec {

  /** The one key of a map that stands for a serialized value. */
  public static final String SERIALIZED_KEY = "@bodhi.serialized";

  /** The property that lists the allowed packages, named in messages. */
  public static final String PROPERTY = "bodhi.session.serialization.allowed-packages";

  /** Deepest object graph read, in nested objects. */
  static final long MAX_DEPTH = 32;

  /** Most object references in one value. */
  static final long MAX_REFERENCES = 100_000;

  /** Longest array in one value, in elements. */
  static final long MAX_ARRAY_LENGTH = 1_000_000;

  /** Largest serialized value, in bytes. */
  static final long MAX_BYTES = 4L * 1024 * 1024;

  /** The JDK packages allowed, without their subpackages. */
  private static final Set<String> JDK_PACKAGES =
      Set.of("java.lang", "java.util", "java.time", "java.math");

  /** A Java package name: dot-separated identifiers. */
  private static final Pattern PACKAGE =
      Pattern.compile(
          "\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*"
              + "(\\.\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*)*");

  /** Prefixes no allowed package may have: the JDK's own, whose gadgets are known. */
  private static final List<String> RESERVED =
      List.of("java.", "javax.", "jdk.", "sun.", "com.sun.");

  private final List<String> packages;
  private final SessionAttributeCodec delegate;
  private final ClassLoader loader;

  /**
   * A codec over an allow-list.
   *
   * @param allowedPackages the application's packages, such as {@code com.example.shop}; each
   *     allows its subpackages too. At least two segments each; no wildcards, no JDK package
   * @param delegate what encodes values outside those packages
   * @param loader what loads the classes read back
   * @throws SessionServiceException of kind CONFIGURATION, naming {@value #PROPERTY}, when the list
   *     is empty or an entry is not an application package
   */
  public SerializingAttributeCodec(
      List<String> allowedPackages, SessionAttributeCodec delegate, ClassLoader loader) {
    this.packages = checkPackages(Objects.requireNonNull(allowedPackages, "allowedPackages"));
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.loader = Objects.requireNonNull(loader, "loader");
  }

  private static List<String> checkPackages(List<String> packages) {
    if (packages.isEmpty()) {
      throw misconfigured("is empty; name the application's packages, such as com.example.shop");
    }
    for (String name : packages) {
      String trimmed = name == null ? "" : name.strip();
      if (!PACKAGE.matcher(trimmed).matches()) {
        throw misconfigured(
            "holds '"
                + name
                + "', which is not a package name (no wildcards: a package allows"
                + " its subpackages)");
      }
      if (!trimmed.contains(".")) {
        throw misconfigured(
            "holds '"
                + trimmed
                + "', a top-level package that would allow every library under"
                + " it; name the application's own package, such as com.example.shop");
      }
      if (RESERVED.stream().anyMatch(trimmed::startsWith) || JDK_PACKAGES.contains(trimmed)) {
        throw misconfigured(
            "holds '"
                + trimmed
                + "', a JDK package; the JDK's value types are allowed already"
                + " and the rest of the JDK holds known deserialization gadgets");
      }
    }
    return packages.stream().map(String::strip).toList();
  }

  private static SessionServiceException misconfigured(String what) {
    return new SessionServiceException(
        SessionServiceException.Kind.CONFIGURATION, PROPERTY + " " + what + ".");
  }

  /** The allowed packages, as configured. */
  List<String> allowedPackages() {
    return packages;
  }

  private boolean allowed(Class<?> type) {
    Class<?> element = type;
    while (element.isArray()) {
      element = element.getComponentType();
    }
    if (element.isPrimitive()) {
      return true;
    }
    String packageName = element.getPackageName();
    if (JDK_PACKAGES.contains(packageName)) {
      return true;
    }
    for (String allowedPackage : packages) {
      if (packageName.equals(allowedPackage) || packageName.startsWith(allowedPackage + ".")) {
        return true;
      }
    }
    return false;
  }

  private boolean applicationType(Object value) {
    if (!(value instanceof Serializable)) {
      return false;
    }
    String packageName = value.getClass().getPackageName();
    return packages.stream()
        .anyMatch(p -> packageName.equals(p) || packageName.startsWith(p + "."));
  }

  @Override
  public Object encode(String name, Object value) {
    if (!applicationType(value)) {
      return delegate.encode(name, value);
    }
    byte[] bytes;
    try (ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        ObjectOutputStream out = new ObjectOutputStream(buffer)) {
      out.writeObject(value);
      out.flush();
      bytes = buffer.toByteArray();
    } catch (IOException e) {
      // NotSerializableException's message is the class name: no data
      throw AttributeErrors.holding(
          name,
          value,
          " that cannot be serialized ("
              + e.getClass().getSimpleName()
              + ": "
              + e.getMessage()
              + "); every field must be Serializable or transient.");
    }
    // read back now, through the filter, so a value holding a refused class fails here
    read(name, bytes, true);
    return Map.of(SERIALIZED_KEY, Base64.getEncoder().encodeToString(bytes));
  }

  @Override
  public Object decode(String name, Object stored) {
    if (stored instanceof Map<?, ?> map
        && map.size() == 1
        && map.get(SERIALIZED_KEY) instanceof String text) {
      byte[] bytes;
      try {
        bytes = Base64.getDecoder().decode(text);
      } catch (IllegalArgumentException e) {
        throw unreadable(name, "it is not base64");
      }
      return read(name, bytes, false);
    }
    return delegate.decode(name, stored);
  }

  /**
   * Reads a serialized value through the allow-list.
   *
   * @param setting whether the application is setting the value now: the refused class is then
   *     named (it is the application's own), else only the attribute (a stored stream is data)
   */
  private Object read(String name, byte[] bytes, boolean setting) {
    RefusalFilter filter = new RefusalFilter();
    try (ObjectInputStream in = new LoaderInputStream(new ByteArrayInputStream(bytes), loader)) {
      in.setObjectInputFilter(filter);
      return in.readObject();
    } catch (InvalidClassException e) {
      if (filter.refused != null) {
        throw unreadable(
            name,
            "it holds a "
                + (setting ? filter.refused.getName() : "class")
                + " outside "
                + PROPERTY
                + " "
                + packages);
      }
      throw unreadable(
          name,
          "a class it holds is refused or changed incompatibly ("
              + e.getClass().getSimpleName()
              + ")");
    } catch (ClassNotFoundException e) {
      throw unreadable(name, "a class it holds is no longer on the classpath");
    } catch (IOException | RuntimeException e) {
      throw unreadable(name, "the stream is damaged (" + e.getClass().getSimpleName() + ")");
    }
  }

  private static SessionServiceException unreadable(String name, String why) {
    return AttributeErrors.unreadable(name, "serialized value", why);
  }

  /** The allow-list and the bounds, remembering the first class it refused. */
  private final class RefusalFilter implements ObjectInputFilter {
    private Class<?> refused;

    @Override
    public Status checkInput(FilterInfo info) {
      if (info.depth() > MAX_DEPTH
          || info.references() > MAX_REFERENCES
          || info.arrayLength() > MAX_ARRAY_LENGTH
          || info.streamBytes() > MAX_BYTES) {
        return Status.REJECTED;
      }
      Class<?> type = info.serialClass();
      if (type == null) {
        return Status.ALLOWED;
      }
      if (allowed(type)) {
        return Status.ALLOWED;
      }
      if (refused == null) {
        refused = type;
      }
      return Status.REJECTED;
    }
  }

  /** Loads classes with the application's class loader, and refuses proxies outright. */
  private static final class LoaderInputStream extends ObjectInputStream {
    private final ClassLoader loader;

    LoaderInputStream(ByteArrayInputStream in, ClassLoader loader) throws IOException {
      super(in);
      this.loader = loader;
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass description)
        throws IOException, ClassNotFoundException {
      try {
        return Class.forName(description.getName(), false, loader);
      } catch (ClassNotFoundException e) {
        // primitives and their arrays
        return super.resolveClass(description);
      }
    }

    @Override
    protected Class<?> resolveProxyClass(String[] interfaces) throws InvalidClassException {
      throw new InvalidClassException("proxies are not read");
    }
  }
}
