package app.getbodhi.session.tests;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.lang.syntax.elements.GivenClassesConjunction;

/**
 * The module layering of docs/design.md ("Rules the build holds"), as rules over the compiled main
 * classes of every module: a violation fails the build instead of waiting for a review.
 *
 * <p>Each rule is written once, here, and runs wherever the classes it checks are on the classpath:
 * an {@code ArchitectureTest} in session-tests (the library modules), in session-cli (the tool) and
 * in session-bench (the benchmarks) each runs all of them over its own classpath with {@code
 * ArchTests.in(ModuleLayering.class)}, so that session-tests needs neither the tool nor the bench.
 * A module's test imports every class under {@code app.getbodhi.session} it can see, so no rule
 * finds nothing to check.
 *
 * <p>Modules are told apart by package: {@code app.getbodhi.session} and {@code .spi} are
 * session-api; {@code .service} and {@code .web} session-service; {@code .servlet} session-servlet;
 * {@code .jooq}, {@code .sqlite}, {@code .postgres}, {@code .mariadb} the SQL code and the three
 * backends; {@code .tck} the contract kit; {@code .tests} the cross-backend suites; {@code .cli}
 * the tool; {@code .bench} the benchmarks.
 */
public final class ModuleLayering {

  private static final String ROOT = "app.getbodhi.session";
  private static final String[] BACKENDS = {
    ROOT + ".sqlite..", ROOT + ".postgres..", ROOT + ".mariadb.."
  };
  private static final String JOOQ = ROOT + ".jooq..";
  private static final String[] THE_SQL_CODE_AND_THE_BENCH = {
    JOOQ, BACKENDS[0], BACKENDS[1], BACKENDS[2], ROOT + ".bench.."
  };

  private ModuleLayering() {}

  @ArchTest
  public static final ArchRule no_class_reaches_into_another_modules_internal_package =
      classes().should(reachNoOtherModulesInternalPackage());

  @ArchTest
  public static final ArchRule the_storage_api_depends_on_nothing_else_of_ours =
      noClassIn(ROOT, ROOT + ".spi")
          .dependsOnAnyOf(
              ROOT + ".service..",
              ROOT + ".web..",
              ROOT + ".servlet..",
              JOOQ,
              ROOT + ".sqlite..",
              ROOT + ".postgres..",
              ROOT + ".tck..",
              ROOT + ".tests..",
              ROOT + ".cli..",
              ROOT + ".bench..",
              ROOT + ".spring..");

  @ArchTest
  public static final ArchRule
      the_service_the_servlet_filter_and_the_tool_import_no_backend_and_no_jooq =
          noClassIn(ROOT + ".service..", ROOT + ".web..", ROOT + ".servlet..", ROOT + ".cli..")
              .dependsOnAnyOf(BACKENDS[0], BACKENDS[1], BACKENDS[2], JOOQ, "org.jooq..");

  @ArchTest
  public static final ArchRule the_contract_kit_imports_no_backend =
      noClassIn(ROOT + ".tck..")
          .dependsOnAnyOf(
              BACKENDS[0],
              BACKENDS[1],
              BACKENDS[2],
              JOOQ,
              "org.jooq..",
              ROOT + ".service..",
              ROOT + ".web..",
              ROOT + ".servlet..");

  @ArchTest
  public static final ArchRule the_cross_backend_kits_find_backends_through_the_service_loader =
      noClassIn(ROOT + ".tests..")
          .dependsOnAnyOf(BACKENDS[0], BACKENDS[1], BACKENDS[2], JOOQ, "org.jooq..");

  /**
   * Only the backends build on the shared SQL code. The bench is the one other reader: it runs the
   * store's own statements through plain JDBC as the floor it measures the store against.
   */
  @ArchTest
  public static final ArchRule only_the_backends_and_the_bench_use_the_shared_sql_code =
      noClassOutside(THE_SQL_CODE_AND_THE_BENCH).dependsOnAnyOf(JOOQ);

  /**
   * Sealing (the row keys' HMAC, the data's AES-GCM, the HKDF that derives its key) lives in
   * session-jooq, under the backends: one implementation of the stored format, so no other module
   * can seal or open data in a way that drifts from it. The bench is the one other user: it
   * measures what creating the JCA objects per call would cost, against the store's reuse.
   */
  @ArchTest
  public static final ArchRule only_the_sql_code_and_the_backends_use_javax_crypto =
      noClassOutside(THE_SQL_CODE_AND_THE_BENCH).dependsOnAnyOf("javax.crypto..");

  /**
   * Starts a rule that no class in {@code these} packages depends on a class in certain others.
   *
   * @param these the packages whose classes the rule checks
   * @return the rule's second half, which names the packages they must not depend on
   */
  private static NoDependency noClassIn(String... these) {
    return noClass(noClasses().that().resideInAnyPackage(these));
  }

  /**
   * Starts a rule that no class outside {@code these} packages depends on a class in certain
   * others.
   *
   * @param these the packages whose classes may depend on them
   * @return the rule's second half, which names the packages the others must not depend on
   */
  private static NoDependency noClassOutside(String... these) {
    return noClass(noClasses().that().resideOutsideOfPackages(these));
  }

  private static NoDependency noClass(GivenClassesConjunction checked) {
    return those -> checked.should().dependOnClassesThat().resideInAnyPackage(those);
  }

  /** The second half of {@link #noClassIn}. */
  @FunctionalInterface
  private interface NoDependency {
    ArchRule dependsOnAnyOf(String... those);
  }

  /**
   * A package named {@code internal} belongs to the module whose package holds it, and only that
   * module's classes may use it: {@code app.getbodhi.session.sqlite.internal} is session-sqlite's.
   * No exception: the backends build on session-jooq's public API ({@code ServerInspector}, {@code
   * SchemaReader}, {@code DriverMessages}, ...), the bench measures sealing through {@code
   * StoreProbe}, and what a test-jar shares lives in a {@code testing} package.
   */
  private static ArchCondition<JavaClass> reachNoOtherModulesInternalPackage() {
    return new ArchCondition<>("reach no other module's internal package") {
      @Override
      public void check(JavaClass item, ConditionEvents events) {
        for (Dependency dependency : item.getDirectDependenciesFromSelf()) {
          String target = dependency.getTargetClass().getPackageName();
          int internal = target.indexOf(".internal");
          if (!target.startsWith(ROOT + ".") || internal < 0) {
            continue;
          }
          String owner = target.substring(0, internal);
          String from = item.getPackageName();
          boolean ownModule = from.equals(owner) || from.startsWith(owner + ".");
          if (!ownModule) {
            events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()));
          }
        }
      }
    };
  }
}
