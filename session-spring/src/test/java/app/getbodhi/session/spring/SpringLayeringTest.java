package app.getbodhi.session.spring;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * docs/design.md's layering for session-spring, as rules that fail the build (the cross-module
 * rules in session-tests cannot see this module's classes): it sits on the service and the API, and
 * reaches a backend only through the service's discovery, never the SQL code, a backend or the
 * crypto.
 */
@AnalyzeClasses(
    packages = "app.getbodhi.session.spring",
    importOptions = ImportOption.DoNotIncludeTests.class)
class SpringLayeringTest {

  @ArchTest
  static final ArchRule the_spring_module_imports_no_backend_no_sql_code_and_no_crypto =
      noClasses()
          .that()
          .resideInAPackage("app.getbodhi.session.spring..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "app.getbodhi.session.sqlite..",
              "app.getbodhi.session.postgres..",
              "app.getbodhi.session.mariadb..",
              "app.getbodhi.session.jooq..",
              "org.jooq..",
              "javax.crypto..",
              "app.getbodhi.session.servlet..");

  @ArchTest
  static final ArchRule the_library_does_not_depend_on_its_auto_configuration =
      noClasses()
          .that()
          .resideInAPackage("app.getbodhi.session.spring")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("app.getbodhi.session.spring.autoconfigure..");
}
