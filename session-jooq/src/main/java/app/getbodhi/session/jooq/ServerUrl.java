package app.getbodhi.session.jooq;

import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.spi.DatabaseUrls;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The parts of a database server URL, {@code [user[:password]@][host[:port][,host[:port]...]]
 * [/database][?name=value&...]}, as written after a scheme's {@code //}: the common shape of {@code
 * postgres://}, {@code mariadb://} and their peers. Parsed once here so that every server backend
 * splits, decodes and refuses alike; what the parts mean (default host, one host or several, which
 * parameters a driver may get) stays with the backend.
 *
 * <p>User, password, host, database, parameter names and values are percent-decoded (UTF-8). The
 * user information ends at the last {@code @} before the path, so a raw {@code @} in a password is
 * taken; a {@code /} or {@code @} inside the query is never taken for the path or the user part. An
 * IPv6 host is written in brackets ({@code [::1]}), without a zone id. A Unix-domain socket
 * directory as host ({@code %2Ftmp}) is refused: JDBC drivers connect over TCP. Errors are {@link
 * SessionServiceException.Kind#CONFIGURATION} errors from the given {@link UrlProblems}, which
 * shows the URL only redacted.
 *
 * <p>{@link #toString()} hides the password.
 *
 * @param user the user, when the URL names one (possibly empty)
 * @param password the password, when the URL names one (possibly empty)
 * @param hosts the hosts in the order written, at least one; the only entry's name is empty when
 *     the URL names no host
 * @param database the database (the path after the first {@code /}), when the URL has a path
 * @param parameters the query parameters in the order written, repeats included
 */
public record ServerUrl(
    Optional<String> user,
    Optional<String> password,
    List<Host> hosts,
    Optional<String> database,
    List<Parameter> parameters) {

  /** The highest TCP port. */
  public static final int MAX_PORT = 65_535;

  /** A host name or IPv4 address; anything else would need escaping in a JDBC URL. */
  private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9_.\\-]+");

  /** An IPv6 address, without a zone id (drivers cannot take one). */
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

  /** A query parameter name: what driver property names look like, so safe to quote. */
  private static final Pattern PARAMETER_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private static final Pattern DIGITS = Pattern.compile("[0-9]{1,5}");

  /**
   * One host of the URL.
   *
   * @param name a host name, an IPv4 address, or an IPv6 address in brackets; empty when the URL
   *     names no host
   * @param port the port, the backend's default when the URL names none
   */
  public record Host(String name, int port) {

    /** Checks the components. */
    public Host {
      Objects.requireNonNull(name, "name");
      if (port < 1 || port > MAX_PORT) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
    }

    /**
     * Returns {@code name:port}, as JDBC URLs write a host.
     *
     * @return such as {@code db.example:5432} or {@code [::1]:5432}
     */
    @Override
    public String toString() {
      return name + ":" + port;
    }
  }

  /**
   * One query parameter, decoded.
   *
   * @param name letters, digits and {@code _}, not starting with a digit
   * @param value the value, possibly empty; may be a secret
   */
  public record Parameter(String name, String value) {

    /** Checks the components. */
    public Parameter {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
    }

    /** Shows the name only: the value may be a password. */
    @Override
    public String toString() {
      return name + "=" + DatabaseUrls.MASK;
    }
  }

  /** Checks and copies the components. */
  public ServerUrl {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    hosts = List.copyOf(hosts);
    if (hosts.isEmpty()) {
      throw new IllegalArgumentException("a server URL has at least one host");
    }
    Objects.requireNonNull(database, "database");
    parameters = List.copyOf(parameters);
  }

  /**
   * Splits what follows a scheme's {@code //}.
   *
   * @param rest the URL after {@code scheme://}, as {@link UrlProblems#url()} holds it
   * @param defaultPort the port of a host written without one
   * @param problems the errors of this URL
   * @return the parts
   * @throws SessionServiceException of kind CONFIGURATION for a bad escape, a malformed host or
   *     port, a stray comma or {@code &}, or a parameter without a name or an {@code =value}
   */
  public static ServerUrl parse(String rest, int defaultPort, UrlProblems problems) {
    int slash = rest.indexOf('/');
    int question = rest.indexOf('?');
    if (question >= 0 && slash > question) {
      slash = -1; // a '/' inside the query
    }
    int authorityEnd = slash >= 0 ? slash : (question >= 0 ? question : rest.length());
    int at = authorityEnd == 0 ? -1 : rest.lastIndexOf('@', authorityEnd - 1);

    Optional<String> user = Optional.empty();
    Optional<String> password = Optional.empty();
    if (at >= 0) {
      String userInfo = rest.substring(0, at);
      int colon = userInfo.indexOf(':');
      user =
          Optional.of(
              problems.decode(
                  colon >= 0 ? userInfo.substring(0, colon) : userInfo, "the user name"));
      if (colon >= 0) {
        password = Optional.of(problems.decode(userInfo.substring(colon + 1), "the password"));
      }
    }
    List<Host> hosts = parseHosts(rest.substring(at + 1, authorityEnd), defaultPort, problems);

    Optional<String> database = Optional.empty();
    String query = null;
    if (slash >= 0) {
      int q = rest.indexOf('?', slash);
      database =
          Optional.of(
              problems.decode(
                  rest.substring(slash + 1, q >= 0 ? q : rest.length()), "the database name"));
      query = q >= 0 ? rest.substring(q + 1) : null;
    } else if (question >= 0) {
      query = rest.substring(question + 1);
    }
    List<Parameter> parameters = query == null ? List.of() : parseQuery(query, problems);
    return new ServerUrl(user, password, hosts, database, parameters);
  }

  /** Shows every part but the password, and parameter names without their values. */
  @Override
  public String toString() {
    return "ServerUrl["
        + user.orElse("")
        + password.map(p -> ":" + DatabaseUrls.MASK).orElse("")
        + "@"
        + hosts
        + "/"
        + database.orElse("")
        + "?"
        + parameters
        + "]";
  }

  /** Parses {@code host[:port][,host[:port]...]}. */
  private static List<Host> parseHosts(String hostList, int defaultPort, UrlProblems problems) {
    String[] entries = hostList.split(",", -1);
    List<Host> hosts = new ArrayList<>(entries.length);
    for (String entry : entries) {
      if (entry.isEmpty() && entries.length > 1) {
        throw problems.invalid("the host list has an empty entry (a stray comma)");
      }
      hosts.add(parseHost(entry, defaultPort, problems));
    }
    return hosts;
  }

  private static Host parseHost(String entry, int defaultPort, UrlProblems problems) {
    String host;
    String port = null;
    if (entry.startsWith("[")) {
      int close = entry.indexOf(']');
      if (close < 0) {
        throw problems.invalid("an IPv6 address opened with [ has no closing ]");
      }
      String address = entry.substring(1, close);
      if (!IPV6.matcher(address).matches()) {
        throw problems.invalid(
            "the brackets in the host part must hold an IPv6 address such as [::1], without a"
                + " zone id");
      }
      host = "[" + address + "]";
      String after = entry.substring(close + 1);
      if (!after.isEmpty()) {
        if (after.charAt(0) != ':') {
          throw problems.invalid("only :port may follow an IPv6 address in brackets");
        }
        port = after.substring(1);
      }
    } else {
      if (entry.indexOf('[') >= 0 || entry.indexOf(']') >= 0) {
        throw problems.invalid("a bracket in the host part must enclose a whole IPv6 address");
      }
      int colon = entry.indexOf(':');
      if (colon >= 0 && entry.indexOf(':', colon + 1) >= 0) {
        throw problems.invalid("an IPv6 address must be written in brackets, such as [::1]");
      }
      host = problems.decode(colon >= 0 ? entry.substring(0, colon) : entry, "the host");
      if (colon >= 0) {
        port = entry.substring(colon + 1);
      }
      if (host.startsWith("/")) {
        throw problems.invalid(
            "the host names a Unix-domain socket directory, but the "
                + problems.database()
                + " JDBC driver connects over TCP only; give a host name or address");
      }
      if (!host.isEmpty() && !HOST_NAME.matcher(host).matches()) {
        throw problems.invalid(
            "the host must be a host name or IP address (letters, digits, '.', '-' and '_')");
      }
    }
    return new Host(host, parsePort(port, defaultPort, problems));
  }

  private static int parsePort(String port, int defaultPort, UrlProblems problems) {
    if (port == null) {
      return defaultPort;
    }
    if (port.isEmpty()) {
      throw problems.invalid("a ':' after the host must be followed by a port number");
    }
    if (!DIGITS.matcher(port).matches()
        || Integer.parseInt(port) < 1
        || Integer.parseInt(port) > MAX_PORT) {
      throw problems.invalid("the port must be a number from 1 to " + MAX_PORT);
    }
    return Integer.parseInt(port);
  }

  /**
   * Splits {@code name=value&...}, percent-decoding both sides. As in libpq, a stray {@code &} or a
   * parameter without {@code =} is an error.
   */
  private static List<Parameter> parseQuery(String query, UrlProblems problems) {
    List<Parameter> parameters = new ArrayList<>();
    if (query.isEmpty()) {
      return parameters;
    }
    for (String pair : query.split("&", -1)) {
      if (pair.isEmpty()) {
        throw problems.invalid("the query has an empty parameter (a stray '&')");
      }
      int equals = pair.indexOf('=');
      String name =
          problems.decode(equals >= 0 ? pair.substring(0, equals) : pair, "a query parameter name");
      if (name.isEmpty()) {
        throw problems.invalid("a query parameter has no name before its '='");
      }
      if (!PARAMETER_NAME.matcher(name).matches()) {
        throw problems.invalid(
            "a query parameter name must be letters, digits and '_', not starting with a digit");
      }
      if (equals < 0) {
        throw problems.invalid("the query parameter " + name + " has no '=value'");
      }
      parameters.add(
          new Parameter(name, problems.decode(pair.substring(equals + 1), "the value of " + name)));
    }
    return parameters;
  }
}
