/**
 * The HTTP harness of the filter's tests: {@link app.getbodhi.session.tests.servlet.FilterHarness}
 * (a counted store, an embedded Jetty or Tomcat running the test servlets behind the filter, and a
 * client that keeps no cookies), its servlets, and what a test reads from an exchange. It ships in
 * session-servlet's test-jar, and keeps the package of session-tests, whose cross-backend filter
 * kits ({@code SessionFilterContract}, {@code StolenDatabaseContract}) build on it and whose
 * subclasses in other modules keep compiling unchanged.
 */
package app.getbodhi.session.tests.servlet;
